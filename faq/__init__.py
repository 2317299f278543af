"""The FAQ: curated entries as data, the colloquial lexicon, normalisation and the matcher. No Flask here."""
