"""Who the Jupyter server says a request is from, for test_assessment_proxy.py (loaded
by the Jupyter server through its config): reviewers named by a header, and an
authorizer that lets everyone read but no one write."""

from jupyter_server.auth.authorizer import Authorizer
from jupyter_server.auth.identity import IdentityProvider, User

#: The header naming the reviewer of a token- or cookie-authenticated request.
USER_HEADER = "X-Test-Reviewer"


class HeaderNamedUsers(IdentityProvider):
    """Jupyter's own authentication (token, login cookie); the user is the one the
    header names, as a hub's single-user server knows its user."""

    async def _get_user(self, handler):
        user = await super()._get_user(handler)
        name = handler.request.headers.get(USER_HEADER)
        return User(username=name) if user is not None and name else user


class DenyWrites(Authorizer):
    """Reads allowed, writes refused: a read-only collaborator."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return action == "read"
