"""Text and URLs on their way into a web page: escaped once, here.

folium puts popups and tooltips inside JavaScript template strings, and branca compiles
every rendered script again as a Jinja template; so text is HTML-escaped and ``$`` and the
backtick become character references, JSON is made safe from a second Jinja pass, and only
http(s) links become clickable. Every text from data or from a user passes through here.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from jinja2.utils import htmlsafe_json_dumps


def escape(text: object) -> str:
    """Safe inside HTML *and* inside a JavaScript template string."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return html.escape(str(text), quote=True).replace("$", "&#36;").replace("`", "&#96;")


def safe_url(url: object) -> str | None:
    """The URL if it is http(s) with a host, else None (no javascript:, data:, …)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return url


def link(text: object, url: object) -> str:
    """An escaped link when the URL is http(s); otherwise the escaped text alone."""
    href = safe_url(url)
    if href is None:
        return escape(text)
    return f'<a href="{escape(href)}" target="_blank" rel="noopener noreferrer">{escape(text)}</a>'


def sources_html(sources: object, urls: object) -> str:
    """Our CSVs list several sources separated by ' | ', URLs in the same order."""
    names = [s.strip() for s in str(sources or "").split(" | ") if s.strip()]
    hrefs = [u.strip() for u in str(urls or "").split(" | ")]
    items = [link(name, hrefs[i] if i < len(hrefs) else "") for i, name in enumerate(names)]
    return "; ".join(items)


def script_json(value: object, ensure_ascii: bool = True) -> str:
    """JSON safe inside a <script> element, and safe from a second Jinja pass.

    ``ensure_ascii=False`` keeps non-ASCII letters as they are (map labels: a saved page
    can then be searched for "Şuşa"); the HTML escaping below applies either way.

    <, >, & and ' are escaped for HTML. branca compiles every rendered script *again* as
    a Jinja template, so a '{{' in data would run as a template expression on the server
    (an event titled '{{ cycler.__init__.__globals__.os.popen(...) }}' would run a shell
    command). Structural JSON never contains '{{', '{%' or '{#', so escaping those pairs
    only touches strings, and JSON reads them back unchanged.
    """
    text = str(htmlsafe_json_dumps(value, ensure_ascii=ensure_ascii))
    return text.replace("{{", "{\\u007b").replace("{%", "{\\u0025").replace("{#", "{\\u0023")


def template_safe_html(text: str) -> str:
    """HTML text that a Jinja pass leaves alone: braces as character references."""
    return text.replace("{", "&#123;").replace("}", "&#125;")
