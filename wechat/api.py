"""The few WeChat server APIs the bot calls: access_token and customer-service (客服) text messages.

- `GET /cgi-bin/token?grant_type=client_credential&appid=&secret=` → {"access_token", "expires_in"}. The token is
  cached in SQLite for all workers and refreshed by one of them at a time (storage/api_tokens.py).
- `POST /cgi-bin/message/custom/send?access_token=` with {"touser", "msgtype": "text", "text": {"content"}}.
  Only allowed within 48 hours of the user's last message, at most 5 messages per user message (since
  2023-06-12). Errors: 45015 = the 48-hour window is closed or the user unfollowed; 45047 = quota used up.
  40001 / 40014 / 42001 = the token is invalid or expired: fetch a new one and try once more.
- `POST /cgi-bin/menu/create?access_token=` with {"button": [...]} and `GET /cgi-bin/menu/get?access_token=`
  (46003 = no menu): the account's custom menu (wechat/menu.py builds it, `bot.py wechat menu` publishes it).
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request

from storage.api_tokens import ApiTokens

log = logging.getLogger("pufa.wechat_api")

TOKEN_NAME = "wechat_access_token"
TOKEN_ERRORS = (40001, 40014, 42001)
WINDOW_CLOSED, QUOTA_EXCEEDED = 45015, 45047
NO_MENU = 46003


class WeChatApiError(Exception):
    """A WeChat API call failed: `code` is WeChat's errcode, or -1 for network and format problems."""

    def __init__(self, code: int, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class WeChatApi:
    def __init__(self, base_url: str, appid: str, secret: str, tokens: ApiTokens, timeout: float = 5.0):
        self.base_url = base_url.rstrip("/")
        self.appid = appid
        self.secret = secret
        self.tokens = tokens
        self.timeout = timeout

    def _call(self, path: str, query: dict, body: dict | None = None) -> dict:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(query)}"
        data = None
        headers = {}
        if body is not None:
            # WeChat shows \uXXXX escapes literally: send raw UTF-8.
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as resp:
                payload = json.loads(resp.read().decode("utf-8"))
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            raise WeChatApiError(-1, f"{path}: {exc}") from exc
        if not isinstance(payload, dict):
            raise WeChatApiError(-1, f"{path}: unexpected response")
        return payload

    def _fetch_token(self) -> str:
        data = self._call(
            "/cgi-bin/token", {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret}
        )
        token = data.get("access_token")
        if not token:
            raise WeChatApiError(int(data.get("errcode") or -1), str(data.get("errmsg") or "no access_token"))
        self.tokens.put(TOKEN_NAME, token, float(data.get("expires_in") or 7200))
        log.info("fetched a new WeChat access_token")
        return token

    def access_token(self, wait_seconds: float = 5.0) -> str:
        """A valid access_token: the cached one, or a fresh one fetched by exactly one worker at a time."""
        deadline = time.monotonic() + wait_seconds
        while True:
            token = self.tokens.get(TOKEN_NAME)
            if token:
                return token
            if self.tokens.lease(TOKEN_NAME, self.timeout + 5):
                try:
                    # another worker may have stored a token between our check and our lease
                    return self.tokens.get(TOKEN_NAME) or self._fetch_token()
                finally:
                    self.tokens.release(TOKEN_NAME)
            if time.monotonic() >= deadline:  # the lease holder seems stuck: fetch anyway
                return self._fetch_token()
            time.sleep(0.1)

    def _authorised(self, path: str, body: dict | None = None) -> dict:
        """Call an API that takes the access_token; a rejected token is refreshed once. Raises WeChatApiError for
        a non-zero errcode."""
        for attempt in range(2):
            token = self.access_token()
            data = self._call(path, {"access_token": token}, body)
            code = int(data.get("errcode") or 0)
            if code == 0:
                return data
            if code in TOKEN_ERRORS and attempt == 0:
                log.info("access_token rejected (%s); refreshing", code)
                self.tokens.invalidate(TOKEN_NAME, token)
                continue
            raise WeChatApiError(code, str(data.get("errmsg") or ""))
        raise AssertionError("unreachable")

    def send_text(self, openid: str, content: str) -> None:
        """Send a customer-service text message; raises WeChatApiError (45015, 45047, ...) when WeChat refuses."""
        self._authorised(
            "/cgi-bin/message/custom/send", {"touser": openid, "msgtype": "text", "text": {"content": content}}
        )

    def create_menu(self, menu: dict) -> None:
        """Publish the account's custom menu ({"button": [...]}, wechat/menu.py); replaces the one there is."""
        self._authorised("/cgi-bin/menu/create", menu)

    def get_menu(self) -> dict | None:
        """The published custom menu ({"button": [...]}), or None when the account has none (errcode 46003)."""
        try:
            data = self._authorised("/cgi-bin/menu/get")
        except WeChatApiError as exc:
            if exc.code == NO_MENU:
                return None
            raise
        return data.get("menu")
