"""Analysis: pure functions of DataFrames, no Sphinx and no text for pages.

Functions take the tables they work on (``load("launch_events")``, ``CodedArticle.load()``) and
return DataFrames or numbers; the only reading of data here is ``CodedArticle.load``, a
convenience that calls the contract, and the readers of files a teacher brings (a coding sheet,
the CNS database), which check them as the contract checks ours.

- :mod:`.article`: the article as data (join sentences back into text);
- :mod:`.coding`: the coded article (:class:`~.coding.CodedArticle`) and the rules of its coding;
- :mod:`.agreement`: a student's coding sheet, and agreement with the module's (Cohen's kappa);
- :mod:`.counting`: counting launches under explicit rules;
- :mod:`.figures`: each reporter's figures side by side, and where they disagree;
- :mod:`.reaction`: launches against exercise windows, and the permutation test;
- :mod:`.cns`: a reader for a teacher's copy of the CNS North Korea Missile Test Database.
- :mod:`.wordmarks`: which words inside quotation marks were changed, and a reader's marks scored.
- :mod:`.relay`: the words of each audited quotation at each link of the relay chain, and where they changed;
- :mod:`.geometry`: map projection and clipping of the boundary polygons to a region.
"""
