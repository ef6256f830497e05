# Slack bot token committed in the notifier module.
# expect: mamori:python/hardcoded-secret line=5
import requests

SLACK_BOT_TOKEN = "xoxb-2048-1024-Zm9vYmFyYmF6cXV4"


def notify(channel: str, text: str) -> None:
    requests.post("https://slack.com/api/chat.postMessage",
                  headers={"Authorization": f"Bearer {SLACK_BOT_TOKEN}"},
                  json={"channel": channel, "text": text}, timeout=5)
