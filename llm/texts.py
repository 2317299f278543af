"""What the bot says about model answers that take longer than WeChat's 5 seconds."""

from __future__ import annotations

# The passive reply when the answer will come through the customer-service API.
PENDING_PUSH = "正在为您查询相关法律规定，请稍候，答案准备好后会马上发给您。"
# The passive reply when the account has no customer-service API: the answer comes with the next reply.
PENDING_NEXT = "正在为您查询相关法律规定，答案需要十几秒准备。请稍后回复任意文字获取答案。"
# The user replied before the answer was ready (no customer-service API).
STILL_PREPARING = "答案还在准备中，请再等几秒后回复任意文字获取答案。如果您有新的问题，请收到答案后再发。"
# Put before an answer delivered as the reply to the user's next message.
NEXT_HEAD = "这是您刚才那个问题的答案（如果您又发了新问题，请收到后再发一次）：\n\n"
