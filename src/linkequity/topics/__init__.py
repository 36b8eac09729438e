"""Topics: what pages are about, how they cluster, whether clusters link as hubs (analyze stage).

The parts, in the order an analysis runs them:

* :mod:`~linkequity.topics.documents`: one document per live, indexable HTML page (its
  stored text, or its title, h1 and inbound anchors);
* :mod:`~linkequity.topics.model`: the TF-IDF text model, the cosine of page pairs and each
  page's nearest pages;
* :mod:`~linkequity.topics.clusters`: spectral clusters of the text and link affinity;
* :mod:`~linkequity.topics.hubs`: each cluster's pillar and hub-and-spoke health;
* :mod:`~linkequity.topics.audit`: the findings and the ``clusters`` / ``page_topics`` rows.

The plan stage reads relevance through the model an analysis stored (:func:`stored_model`,
the ``page_terms`` table), or :func:`fit_crawl` when there is none, and
:meth:`TextModel.similarity` / :meth:`TextModel.neighbours`.
"""

from __future__ import annotations

from linkequity.topics.audit import TopicAudit, fit_crawl, stored_model, topic_audit
from linkequity.topics.documents import Document, bodies, read_documents
from linkequity.topics.hubs import SiteLinks
from linkequity.topics.model import Neighbours, TextModel, fit

__all__ = [
    "Document",
    "Neighbours",
    "SiteLinks",
    "TextModel",
    "TopicAudit",
    "bodies",
    "fit",
    "fit_crawl",
    "read_documents",
    "stored_model",
    "topic_audit",
]
