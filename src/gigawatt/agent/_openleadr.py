"""OpenLEADR, imported with the one warning its dependency raises at import.

signxml (OpenLEADR's XML-signature dependency) names DSA key types in its type hints, and
cryptography >= 43 deprecates DSA with a warning at that attribute access; the project runs with
warnings as errors. Only that warning, only during the import, is ignored here.
"""

from __future__ import annotations

import warnings


def openleadr():
    """The ``openleadr`` package."""
    from cryptography.utils import CryptographyDeprecationWarning

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="DSA is deprecated", category=CryptographyDeprecationWarning)
        import openleadr
        import openleadr.client  # noqa: F401
        import openleadr.server  # noqa: F401
    return openleadr
