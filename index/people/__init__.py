"""The people registry: who speaks, as one identity across the whole archive.

kinds (what a source is: person, group, organization, outlet, document, anonymous, not
identified) and linking (an article's settled speakers, blocked on a name key and linked
into identities; a pure function the store runs in the transaction of every write).
May import: index.text, index.answers.
"""
