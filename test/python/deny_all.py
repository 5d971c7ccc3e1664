"""An authorizer that denies every action on every resource but reading the server's
status (how the tests see it is up); loaded by the Jupyter server in
test_server_extension_faults.py through ServerApp.authorizer_class."""

from jupyter_server.auth.authorizer import Authorizer


class DenyAll(Authorizer):
    def is_authorized(self, handler, user, action, resource) -> bool:
        return (action, resource) == ("read", "api")
