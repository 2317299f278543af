"""Messages for staff: the conversation step that takes a person's message (flow.py), what the bot says in it
(texts.py), staff replies to a thread or to anyone in the log (replies.py, through messaging/), how each reply
went (delivery.py) and `bot.py inbox` (cli.py). Storage: storage/inbox.py; console: console/inbox.py."""
