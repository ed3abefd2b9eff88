"""The address students' devices use to reach this computer, found without
sending any traffic.

Connecting a UDP socket sends nothing: it only asks the operating system
which local address it would send from, which is the address of the
network the default route leads to (the classroom's Wi-Fi). Without a
route (no network at all), 127.0.0.1 is returned: the class then works
only on this computer, and the teacher page shows that address.

>>> lan_address("127.0.0.1")
'127.0.0.1'
>>> lan_address("0.0.0.0").count(".")
3
"""

import ipaddress
import socket

# TEST-NET-1 (RFC 5737): never a real host; only the routing table is consulted.
_PROBE = ("192.0.2.1", 9)
ANY = ("0.0.0.0", "::")


def lan_address(host: str) -> str:
    """The address for the printed URLs: ``host`` itself unless it means
    "every interface" (0.0.0.0 or ::), then this machine's LAN address."""
    if host not in ANY:
        return host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(_PROBE)
            address = probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"
    return address if not ipaddress.ip_address(address).is_unspecified else "127.0.0.1"


def url_host(address: str) -> str:
    """``address`` as it appears in a URL (IPv6 in brackets).

    >>> url_host("::1")
    '[::1]'
    """
    return f"[{address}]" if ":" in address else address
