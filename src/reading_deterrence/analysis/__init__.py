"""Analysis: pure functions of DataFrames, no Sphinx and no text for pages.

- :mod:`.article`: the article as data (join sentences back into text);
- :mod:`.coding`: the coded article, its rules, coding sheets and agreement (Cohen's kappa);
- :mod:`.counting`: counting launches under explicit rules;
- :mod:`.figures`: each reporter's figures side by side, and where they disagree;
- :mod:`.reaction`: launches against exercise windows, and the permutation test;
- :mod:`.cns`: a reader for a teacher's copy of the CNS North Korea Missile Test Database.
"""
