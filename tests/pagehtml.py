"""A page's HTML as a small tree, for tests that read what a page says and links to (the
standard library's parser; no browser)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
SKIP = {"script", "style", "template"}  # not read as the page's words


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default=None):
        return self.attrs.get(name, default)

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def all(self, test: Callable[[Node], bool] | str) -> list[Node]:
        if isinstance(test, str):
            css = test
            tag, _, cls = css.partition(".")

            def test(n):
                return (not tag or n.tag == tag) and (  # noqa: E731
                    not cls or cls in n.get("class", "").split()
                )

        return [n for n in self.walk() if test(n)]

    def one(self, test) -> Node:
        found = self.all(test)
        assert found, f"nothing matches {test}"
        return found[0]

    def by_id(self, ident: str) -> Node:
        return self.one(lambda n: n.get("id") == ident)

    def has_id(self, ident: str) -> bool:
        return any(n.get("id") == ident for n in self.walk())

    @property
    def text(self) -> str:
        parts: list[str] = []

        def add(node: Node) -> None:
            if node.tag in SKIP:
                return
            for child in node.children:
                parts.append(child) if isinstance(child, str) else add(child)

        add(self)
        return " ".join(" ".join(parts).split())

    def links(self) -> list[tuple[str, str]]:
        return [(a.text, a["href"]) for a in self.all("a") if "href" in a.attrs]


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: (v if v is not None else "") for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html: str | bytes) -> Node:
    parser = _Parser()
    parser.feed(html.decode("utf-8") if isinstance(html, bytes) else html)
    parser.close()
    return parser.root
