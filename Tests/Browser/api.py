"""The JSON API as a user (bearer token), for what the browser test needs to know beside the pages:
another tenant's job to try to open, who a request was routed to, the invoice the API issues."""
import json
import urllib.error
import urllib.request


class API:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def get(self, path, accept="application/json"):
        """The body of GET `path` (bytes); raises on any status but 200."""
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"Bearer {self.token}", "Accept": accept})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.read()

    def json(self, path):
        return json.loads(self.get(path))

    def items(self, path):
        """The items of a list route (a page object with `items`, or a bare list)."""
        body = self.json(path)
        return body["items"] if isinstance(body, dict) and "items" in body else body
