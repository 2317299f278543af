"""The law knowledge base: the articles the FAQ cites, in the project's own plain words, with exact citations."""

from knowledge.base import Article, KnowledgeBase, parse_citation

__all__ = ["Article", "KnowledgeBase", "parse_citation"]
