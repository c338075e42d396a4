"""Services below the Slack listeners: who may act (``access``), job operations (``jobs``),
subscribing (``subscribing``), linking keys (``linking``), pausing a key that stopped working
(``pausing``), and the team key's operators (``operators``)."""
