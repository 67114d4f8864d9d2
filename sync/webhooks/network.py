"""Sending a delivery without letting a subscriber's URL reach inside our network (SSRF).

A target is refused if any address its host name resolves to is loopback, private, link-local, multicast,
reserved or otherwise not global, unless settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS is True. The check runs when a
subscription is saved and again at each delivery, on the addresses actually connected to (so a name that
resolves differently later, DNS rebinding, is caught). Redirects are never followed; connect and read each time
out after WEBHOOKS_TIMEOUT_SECONDS.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_RESPONSE_BYTES = 64 * 1024


class UnsafeTarget(Exception):
    """The URL may not be delivered to (its address is not public, or it cannot be used at all)."""


def allow_private_targets() -> bool:
    return bool(getattr(settings, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False))


def timeout_seconds() -> float:
    return min(float(getattr(settings, "WEBHOOKS_TIMEOUT_SECONDS", 10)), 10.0)


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    forbidden = (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_reserved
                 or ip.is_unspecified)
    return not forbidden and ip.is_global


def resolve(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) for each address `host` resolves to."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [(family, sockaddr[0]) for family, _type, _proto, _name, sockaddr in infos]


def split_target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of a deliverable URL; UnsafeTarget for anything else."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget(_("Use an http:// or https:// URL."))
    if parts.username or parts.password:
        raise UnsafeTarget(_("Leave user names and passwords out of the URL; check the signature instead."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeTarget(_("The port of this URL is not valid.")) from error
    return parts.scheme, parts.hostname, port


def vetted_addresses(host: str, port: int) -> list[tuple[int, str]]:
    """The addresses to connect to, after refusing non-public ones (unless private targets are allowed)."""
    try:
        addresses = resolve(host, port)
    except (socket.gaierror, UnicodeError) as error:
        raise UnsafeTarget(_("The host name %(host)s could not be resolved.") % {"host": host}) from error
    if not allow_private_targets():
        for _family, address in addresses:
            if not is_public(address):
                raise UnsafeTarget(
                    _("%(host)s resolves to %(address)s, a loopback, private, link-local or reserved address; "
                      "webhooks are only sent to public addresses.") % {"host": host, "address": address})
    return addresses


def check_target(url: str) -> None:
    """Refuse (UnsafeTarget) a URL that could not be delivered to; used when a subscription is saved."""
    _scheme, host, port = split_target(url)
    vetted_addresses(host, port)


def _guarded_connection(address, timeout=None, source_address=None, **kwargs):
    """socket.create_connection, but only to vetted addresses (used by http.client for HTTP and HTTPS)."""
    host, port = address
    last_error = None
    for family, resolved in vetted_addresses(host, port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            sock.settimeout(timeout)
            sock.connect((resolved, port))
            return sock
        except OSError as error:
            sock.close()
            last_error = error
    raise last_error or OSError(f"no address to connect to for {host}")


@dataclass
class PostResult:
    status: int | None  # None: no HTTP answer (refused, timeout, connection error)
    error: str
    duration_ms: int
    refused: bool = False  # the target is not allowed: do not try again


def post(url: str, body: bytes, headers: dict) -> PostResult:
    """POST `body` to `url` once, without following redirects; never raises for network trouble."""
    started = time.monotonic()

    def result(status, error="", refused=False):
        return PostResult(status, error, int((time.monotonic() - started) * 1000), refused)

    try:
        scheme, host, port = split_target(url)
        parts = urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if scheme == "https":
            connection = http.client.HTTPSConnection(host, port, timeout=timeout_seconds(),
                                                     context=ssl.create_default_context())
        else:
            connection = http.client.HTTPConnection(host, port, timeout=timeout_seconds())
        connection._create_connection = _guarded_connection  # http.client's hook for opening the socket
        try:
            connection.request("POST", target, body=body, headers=headers)
            response = connection.getresponse()
            answer = response.read(MAX_RESPONSE_BYTES)
        finally:
            connection.close()
    except UnsafeTarget as error:
        return result(None, str(error), refused=True)
    except (OSError, http.client.HTTPException) as error:
        return result(None, f"{type(error).__name__}: {error}"[:500])
    if 200 <= response.status < 300:
        return result(response.status)
    excerpt = answer[:300].decode("utf-8", errors="replace").strip()
    return result(response.status, f"HTTP {response.status} {response.reason}: {excerpt}"[:500])
