"""Routes of `handbill serve`. Every page is rendered here; every file is found by a document or job id,
never by a path taken from a URL; every state-changing request carries the page's CSRF token."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import secrets
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders, UploadFile
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from .. import api, langtags, qa, readers, review, segment
from ..errors import (
    BadConfig,
    BadInput,
    EngineFailure,
    GlossaryError,
    HandbillError,
    MissingDependency,
    OutputError,
    QualityGate,
    ReviewConflict,
    documented,
)
from ..glossary import terms as glossary_terms
from ..model import Status
from ..render import parse_formats
from ..store import atomic_write, safe_stem
from . import i18n, library
from .jobs import Busy, Job, Jobs

HERE = Path(__file__).parent
UPLOAD_LIMIT = readers.MAX_BYTES + 1024 * 1024  # the CLI's leaflet limit, plus the multipart envelope
FORM_LIMIT = 1024 * 1024  # any other request body (an edit is at most review.MAX_TEXT characters)
LAYOUTS = ("side-by-side", "alternating", "two-up", "booklet")
PAPERS = ("letter", "a4")
FORMATS = ("pdf", "docx", "audio", "epub")
ID = re.compile(r"[0-9a-f]{12,16}\Z")
SEGMENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}\Z")
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "[::1]", "::1"}


@dataclass
class Settings:
    """How the server runs; frozen once it starts."""

    data: Path = Path("handbill-data")
    host: str = "127.0.0.1"
    port: int = 8765
    token: str = ""  # required on every request when set (and always when host is not loopback)
    glossaries: Path | None = None  # default: <data>/glossaries, started from the bundled glossaries
    workers: int = 2
    engines: list[str] | None = None  # engine preference; None: handbill.toml / HANDBILL_ENGINE / the default

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host.strip("[]") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


# -- errors --------------------------------------------------------------------------------------------


def http_status(exc: HandbillError) -> int:
    """The CLI's error classes as HTTP statuses (README, "handbill serve")."""
    if isinstance(exc, OutputError):
        return 423 if "another handbill run" in exc.message else 507
    for cls, status in (
        (GlossaryError, 400),
        (BadInput, 422),
        (BadConfig, 400),
        (MissingDependency, 501),
        (EngineFailure, 502),
        (ReviewConflict, 409),
        (QualityGate, 422),
    ):
        if isinstance(exc, cls):
            return status
    return 500


def wants_json(request: Request) -> bool:
    return "application/json" in request.headers.get("accept", "") or (
        request.method == "POST" and request.headers.get("content-type", "").startswith("application/json")
    )


def error_page(request: Request, status: int, title: str, message: str, hint: str = "") -> Response:
    if wants_json(request):
        return JSONResponse({"error": message, "hint": hint}, status_code=status)
    return page(request, "error.html", {"title": title, "message": message, "hint": hint}, status=status)


async def handbill_error(request: Request, exc: Exception) -> Response:
    known = documented(exc)
    if known is None:
        return await internal_error(request, exc)
    _ = translate(request)
    return error_page(request, http_status(known), _("Something needs attention"), known.message, known.hint)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    _ = translate(request)
    titles = {
        401: _("Please sign in"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Not allowed"),
        411: _("Length required"),
        413: _("Too large"),
        503: _("Busy"),
    }
    if exc.status_code == 401 and not wants_json(request):
        return page(request, "login.html", {"title": titles[401], "next": safe_next(request.url.path)}, status=401)
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail else _("That page does not exist here.")
    return error_page(request, exc.status_code, titles.get(exc.status_code, _("Error")), detail)


async def internal_error(request: Request, exc: Exception) -> Response:
    import traceback

    traceback.print_exception(exc)  # the server's log, never the page
    _ = translate(request)
    return error_page(
        request,
        500,
        _("Something went wrong"),
        _("handbill hit an internal error. Nothing you saved is lost."),
        _("This is a bug: the server's log has the details."),
    )


# -- pages ---------------------------------------------------------------------------------------------

ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


@pass_context
def _language_name(context, tag: str) -> str:
    """A language's name in the page's own language ("Results in Spanish", "Resultados en español")."""
    return langtags.name(tag, context.get("lang") or "en") if tag else ""


ENV.filters["language_name"] = _language_name


def translate(request: Request):
    return i18n.translator(interface_language(request))


def interface_language(request: Request) -> str:
    return i18n.choose(request.cookies.get("hb_lang"), request.headers.get("accept-language"))


def title(request: Request, doc, entry) -> str:
    """A document page's title: the leaflet's title and the translation's language, named in the page's."""
    return f"{doc.title or entry.stem} · {langtags.name(doc.target_lang, interface_language(request))}"


def page(request: Request, template: str, context: dict, status: int = 200) -> HTMLResponse:
    lang = interface_language(request)
    _ = i18n.translator(lang)
    html = ENV.get_template(template).render(
        request=request,
        _=_,
        lang=lang,
        languages=i18n.LANGUAGES,
        csrf=request.state.csrf,
        here=quote(request.url.path),
        signed_in=bool(getattr(request.state, "signed_in", False)),
        js_text=json.dumps({k: _(v) for k, v in JS_TEXT.items()}, ensure_ascii=False),
        **context,
    )
    return HTMLResponse(html, status_code=status)


JS_TEXT = {
    "saving": "Saving…",
    "saved": "Saved",
    "unsaved": "Not saved yet",
    "conflict": "Someone else changed this",
    "locked": "Another handbill run is writing this document; your text is kept here and saved when it ends.",
    "failed": "Could not save; your text is kept here.",
    "empty": "An empty translation is not saved.",
    "done": "Done",
    "failed_job": "Failed",
    "working": "Working…",
    **{f"status_{s.value}": s.value for s in Status},
}


# -- security ------------------------------------------------------------------------------------------

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def session_value(token: str) -> str:
    """The sign-in cookie's value: derived from the token, so the cookie never holds the token itself."""
    return hmac.new(token.encode(), b"handbill-serve-session", hashlib.sha256).hexdigest()


class Guard:
    """Host check (no DNS rebinding onto a loopback server), body limits, the token, the CSRF cookie, and the
    security headers on every response. Plain ASGI: as a BaseHTTPMiddleware it ran each request in a task of
    its own and took a quarter of the event loop's time under 20 translators saving at once."""

    def __init__(self, app, settings: Settings):
        self.app = app
        self.settings = settings

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        request.state.csrf = request.cookies.get("hb_csrf") or ""
        fresh = not re.fullmatch(r"[0-9a-f]{64}", request.state.csrf)
        if fresh:
            request.state.csrf = secrets.token_hex(32)

        async def send_guarded(message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if fresh:
                    cookie = Response()
                    cookie.set_cookie("hb_csrf", request.state.csrf, httponly=True, samesite="strict", path="/")
                    headers.append("set-cookie", cookie.headers["set-cookie"])
                headers.update(SECURITY_HEADERS)
                headers.setdefault("Cache-Control", "no-store")
            await send(message)

        refused = await self._checked(request)
        await (refused or self.app)(scope, receive, send_guarded)

    async def _checked(self, request: Request) -> Response | None:
        """The answer to a request refused before it reaches a route, else None."""
        host = (
            request.headers.get("host", "").rsplit(":", 1)[0]
            if "]" not in request.headers.get("host", "")
            else request.headers.get("host", "").split("]")[0] + "]"
        )
        if self.settings.loopback and host not in LOOPBACK_NAMES:
            return Response("unknown host name", status_code=400, media_type="text/plain")
        if request.method not in ("GET", "HEAD"):
            length = request.headers.get("content-length")
            if length is None or not length.isdigit():
                return await http_error(request, HTTPException(411))
            limit = UPLOAD_LIMIT if request.url.path == "/leaflets" else FORM_LIMIT
            if int(length) > limit:
                _ = translate(request)
                return await http_error(
                    request,
                    HTTPException(
                        413, _("The file is larger than handbill reads ({mb} MB).", mb=readers.MAX_BYTES // 10**6)
                    ),
                )
        request.state.signed_in = False
        token = self.settings.token
        if token and not request.url.path.startswith("/static/") and request.url.path != "/login":
            cookie = request.cookies.get("hb_auth", "")
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ")
            if not (
                hmac.compare_digest(cookie.encode(), session_value(token).encode())
                or hmac.compare_digest(bearer.encode(), token.encode())
            ):
                return await http_error(request, HTTPException(401))
            request.state.signed_in = True
        return None


async def posted(request: Request) -> dict:
    """The request's fields (form or JSON), after checking its CSRF token against the cookie (403 if not)."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            data = await request.json()
        except ValueError:
            raise HTTPException(400, "not JSON") from None
        if not isinstance(data, dict):
            raise HTTPException(400, "not a JSON object")
    else:
        form = await request.form(max_files=1, max_fields=200)
        data = {key: form.getlist(key) if len(form.getlist(key)) > 1 else form.get(key) for key in form.keys()}
    sent = request.headers.get("x-csrf-token") or data.get("csrf") or ""
    cookie = request.cookies.get("hb_csrf", "")
    if not isinstance(sent, str) or not cookie or not hmac.compare_digest(sent.encode(), cookie.encode()):
        _ = translate(request)
        raise HTTPException(403, _("This form has expired. Reload the page and try again."))
    return data


def safe_next(target: str | None) -> str:
    """A local path to go back to (never another site)."""
    target = target or "/"
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"


def as_list(value) -> list[str]:
    if value is None:
        return []
    return [v for v in (value if isinstance(value, list) else [value]) if isinstance(v, str)]


# -- the app -------------------------------------------------------------------------------------------


class Web:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.data = Path(settings.data)
        self.out = self.data / "output"
        self.uploads = self.data / "uploads"
        self.state = self.data / "state"
        for folder in (self.out, self.uploads, self.state):
            folder.mkdir(parents=True, exist_ok=True)
        self.glossaries = Path(settings.glossaries) if settings.glossaries else self.data / "glossaries"
        if settings.glossaries is None and not self.glossaries.exists():
            shutil.copytree(glossary_terms.bundled_folder(), self.glossaries)
        # handbill.toml / [tool.handbill] and HANDBILL_* apply to the web's runs and saves as to the CLI's
        # (checked once here: a bad setting stops the server with exit 4).
        self.memory = api.load_settings({}).run.memory
        self.library = library.Library(self.out, memory=self.memory)
        self.jobs = Jobs(settings.workers)
        self._targets: dict[str, list[tuple[str, dict]]] = {}
        threading.Thread(target=self.reachable, args=("en",), daemon=True).start()  # warm: doctor takes seconds

    # helpers
    def entry(self, doc_id: str) -> library.Entry:
        entry = self.library.get(doc_id) if ID.match(doc_id) else None
        if entry is None:
            raise HTTPException(404)
        return entry

    def upload_folder(self, uid: str) -> Path:
        folder = self.uploads / uid
        if not ID.match(uid) or not folder.is_dir():
            raise HTTPException(404)
        return folder

    def reachable(self, source: str) -> list[tuple[str, dict]]:
        """Target languages an installed engine reaches from `source` (directly or through another language)."""
        if source not in self._targets:
            from ..doctor import languages

            self._targets[source] = [(tag, info) for tag, info in languages(source).items() if info["how"] != "none"]
        return self._targets[source]

    def options_of(self, entry: library.Entry) -> dict:
        path = self.state / f"{entry.id}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    # routes
    def home(self, request: Request):
        leaflets: dict[str, list] = {}
        for entry in self.library.entries():
            leaflets.setdefault(entry.stem, []).append(entry)
        return page(
            request, "home.html", {"title": "handbill", "leaflets": leaflets, "max_mb": readers.MAX_BYTES // 2**20}
        )

    async def upload(self, request: Request):
        data = await posted(request)
        _ = translate(request)
        upload, text = data.get("leaflet"), data.get("text") or ""
        if isinstance(upload, UploadFile) and upload.filename:
            name = Path(upload.filename.replace("\\", "/")).name
            suffix = Path(name).suffix.lower()
            if suffix not in readers.READERS:
                raise BadInput(
                    _("{name}: handbill reads .txt, .md, .docx and .pdf leaflets", name=name[:80]),
                    _("save the leaflet in one of these formats"),
                )
            body = await upload.read(readers.MAX_BYTES + 1)
            if len(body) > readers.MAX_BYTES:
                raise HTTPException(413)
            check_content(body, suffix, _)
        elif isinstance(text, str) and text.strip():
            name, body = (data.get("name") or "pasted-leaflet") + ".txt", text.replace("\r\n", "\n").encode("utf-8")
        else:
            raise BadInput(_("choose a leaflet file or paste its text"), "")
        uid = secrets.token_hex(8)
        folder = self.uploads / uid
        folder.mkdir()
        dest = folder / (safe_stem(name) + Path(name).suffix.lower())
        with atomic_write(dest) as fh:
            fh.write(body)
        return RedirectResponse(f"/leaflets/{uid}", status_code=303)

    def leaflet_file(self, uid: str) -> Path:
        folder = self.upload_folder(uid)
        found = [p for p in folder.iterdir() if p.suffix.lower() in readers.READERS and not p.name.startswith(".")]
        if not found:
            raise HTTPException(404)
        return found[0]

    def leaflet(self, request: Request):
        uid = request.path_params["uid"]
        path = self.leaflet_file(uid)
        doc = segment.detect(segment.split(readers.read(path)))
        targets = self.reachable(langtags.primary(doc.source_lang))
        tags = [tag for tag, _info in targets]
        preferred = "es" if "es" in tags else (tags[0] if tags else "")
        return page(
            request,
            "leaflet.html",
            {
                "title": path.name,
                "uid": uid,
                "doc": doc,
                "targets": targets,
                "preferred": preferred,
                "layouts": LAYOUTS,
                "papers": PAPERS,
                "formats": FORMATS,
            },
        )

    async def make(self, request: Request):
        uid = request.path_params["uid"]
        path = self.leaflet_file(uid)
        data = await posted(request)
        _ = translate(request)
        targets = []
        for tag in as_list(data.get("targets")):
            try:
                targets.append(langtags.normalize(tag))
            except langtags.TagError:
                raise BadConfig(f"{tag[:20]!r} is not a language tag", "") from None
        if not targets:
            raise BadConfig(_("choose at least one language to translate into"), "")
        layout = data.get("layout") if data.get("layout") in LAYOUTS else "side-by-side"
        paper = data.get("paper") if data.get("paper") in PAPERS else "letter"
        formats = [f for f in FORMATS if f in as_list(data.get("formats"))] or ["pdf", "docx", "audio"]
        render = {"layout": layout, "paper": paper, "large_print": data.get("large_print") == "on"}
        flags = {
            "format": formats,
            "out": self.out,
            "glossaries": self.glossaries,
            "replace": data.get("replace") == "on",
            **render,
        }
        if self.settings.engines:
            flags["engine"] = self.settings.engines
        settings = api.load_settings(flags)

        def work(job: Job) -> None:
            outcome = api.run_targets(path, targets, settings, job.progress)
            for tag, result in outcome.results.items():
                entry = self.library.for_folder(result.document_path.parent)
                job.results[tag] = entry.id
                with atomic_write(self.state / f"{entry.id}.json", "w") as fh:
                    json.dump({"render": render, "formats": formats, "leaflet": uid}, fh)
            job.failures.update({tag: exc.one_line() for tag, exc in outcome.failures.items()})

        try:
            job = self.jobs.submit(path.name, 2 + 5 * len(targets), work)
        except Busy:
            raise HTTPException(503, _("handbill is busy with other leaflets; try again in a minute.")) from None
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def job(self, request: Request) -> Job:
        job = self.jobs.get(request.path_params["jid"]) if ID.match(request.path_params["jid"]) else None
        if job is None:
            raise HTTPException(404)
        return job

    def job_page(self, request: Request):
        job = self.job(request)
        results = [(tag, self.library.get(doc_id)) for tag, doc_id in job.results.items()]
        return page(request, "job.html", {"title": job.title, "job": job, "results": results})

    def job_status(self, request: Request):
        job = self.job(request)
        state = job.public()
        state["results"] = {tag: f"/d/{doc_id}" for tag, doc_id in job.results.items()}
        return JSONResponse(state)

    def document(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        doc = entry.load()
        outputs = library.files(entry)
        pdfs = [(f, library.page_count(f.path)) for f in outputs if f.kind == "pdf"]
        return page(
            request,
            "document.html",
            {
                "title": title(request, doc, entry),
                "entry": entry,
                "doc": doc,
                "outputs": outputs,
                "pdfs": pdfs,
                "qa": qa.report(doc),
                "counts": doc.review_counts(),
                "review_url": f"{request.base_url}d/{entry.id}/review".replace("//d/", "/d/"),
            },
        )

    def download(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        found = library.find_file(entry, request.path_params["key"])
        if found is None:
            raise HTTPException(404)
        inline = found.kind in ("pdf", "mp3") and "download" not in request.query_params
        return FileResponse(
            found.path,
            media_type=found.media_type,
            filename=found.label,
            content_disposition_type="inline" if inline else "attachment",
            headers={"Cache-Control": "private, no-cache"},
        )

    def thumb(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        found = library.find_file(entry, request.path_params["key"])
        if found is None or found.kind != "pdf":
            raise HTTPException(404)
        try:
            png = library.thumbnail(found.path, int(request.path_params["page"]))
        except IndexError:
            raise HTTPException(404) from None
        return Response(png, media_type="image/png", headers={"Cache-Control": "private, no-cache"})

    def review_page(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        doc = entry.load()
        show = request.query_params.get("show", "all")
        segments = [s for s in doc.segments if s.translate]
        if show == "flagged":
            segments = [s for s in segments if s.issues]
        elif show == "unreviewed":
            segments = [s for s in segments if not s.status.is_human]
        else:
            show = "all"
        return page(
            request,
            "review.html",
            {
                "title": title(request, doc, entry),
                "entry": entry,
                "doc": doc,
                "segments": segments,
                "show": show,
                "counts": doc.review_counts(),
                "matches": library.fuzzy_matches(entry, doc),
                "highlight": highlight,
                "glossary_terms": glossary_of(doc),
            },
        )

    async def save(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        seg_id = request.path_params["seg"]
        data = await posted(request)
        if not SEGMENT_ID.match(seg_id):
            raise HTTPException(404)
        text, base, status = data.get("text"), data.get("base"), data.get("status") or ""
        replaced = data.get("replaced") or ""
        if (
            not isinstance(text, str)
            or not isinstance(base, str)
            or status not in ("", "reviewed", "approved")
            or not isinstance(replaced, str)
        ):
            raise HTTPException(400, "text, base and status expected")
        if len(text) > review.MAX_TEXT:
            raise HTTPException(413)
        try:
            saved = await library.save_segment(entry, seg_id, text, base, status, replaced)
        except KeyError:
            raise HTTPException(404) from None
        body = {"text": saved.text, "status": saved.status, "conflict": saved.conflict}
        if saved.conflict:
            body.update(theirs=saved.theirs, theirs_status=saved.theirs_status)
        return JSONResponse(body, status_code=409 if saved.conflict else 200)

    async def rerender(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        await posted(request)
        _ = translate(request)
        known = self.options_of(entry)
        formats = parse_formats(",".join(known.get("formats") or ["pdf", "docx", "audio"]))
        render = known.get("render") or {}

        def work(job: Job) -> None:
            api.render(entry.document_path, formats, api.load_settings(dict(render)), job.progress)
            job.results[entry.lang] = entry.id

        try:
            job = self.jobs.submit(f"{entry.stem} · {entry.lang}", 4, work)
        except Busy:
            raise HTTPException(503, _("handbill is busy with other leaflets; try again in a minute.")) from None
        return RedirectResponse(f"/jobs/{job.id}", status_code=303)

    def listen(self, request: Request):
        entry = self.entry(request.path_params["doc"])
        doc = entry.load()
        readings = []
        for f in library.files(entry):
            if f.kind != "mp3":
                continue
            lang = f.label.rsplit(".", 2)[-2]
            by_id = {s.id: s for s in doc.segments}
            source_side = langtags.primary(lang) == langtags.primary(doc.source_lang) and lang != doc.target_lang
            chapters = []
            for chapter in library.chapters(f.path):
                seg = by_id.get(chapter["id"])
                text = (seg.source if source_side else seg.target) if seg else chapter["title"]
                chapters.append({**chapter, "text": text})
            readings.append({"file": f, "lang": lang, "chapters": chapters})
        wanted = request.query_params.get("lang")
        readings.sort(key=lambda r: r["lang"] != (wanted or doc.target_lang))
        return page(
            request,
            "listen.html",
            {"title": f"{doc.title or entry.stem}", "entry": entry, "doc": doc, "readings": readings},
        )

    def glossary_files(self) -> dict[str, Path]:
        return {
            p.stem: p
            for p in sorted(self.glossaries.glob("*.csv"))
            if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]+)+", p.stem)
        }

    def glossary(self, request: Request):
        files = self.glossary_files()
        pair = request.query_params.get("pair") or next(iter(files), "")
        query = (request.query_params.get("q") or "").strip()
        found = []
        if pair in files:
            found = glossary_terms.read_terms(files[pair])
            if query:
                q = query.casefold()
                found = [
                    t for t in found if q in t.source.casefold() or q in t.target.casefold() or q in t.note.casefold()
                ]
        return page(
            request,
            "glossary.html",
            {
                "title": translate(request)("Glossary"),
                "pairs": list(files),
                "pair": pair,
                "query": query,
                "terms": found,
                "proposed": request.query_params.get("proposed"),
            },
        )

    async def propose(self, request: Request):
        data = await posted(request)
        _ = translate(request)
        files = self.glossary_files()
        pair = data.get("pair")
        if pair not in files:
            raise HTTPException(404)
        source, target, note = (str(data.get(k) or "").strip() for k in ("source", "target", "note"))
        if not source or not target:
            raise BadInput(_("a proposed term needs the term and its rendering"), "")
        path = files[pair]
        from filelock import FileLock

        with FileLock(str(path.parent / f".{path.name}.lock"), timeout=10):
            current = glossary_terms.read_terms(path)
            term = glossary_terms.Term(source=source, target=target, kind="translate", status="proposed", note=note)
            problems = glossary_terms.problems(current + [term], str(path))
            if problems:
                raise GlossaryError(problems[0], _("change the proposed term"))
            with atomic_write(path, "w") as fh:
                fh.write(glossary_terms.write_csv(current + [term]))
        return RedirectResponse(f"/glossary?pair={quote(pair)}&proposed={quote(source)}", status_code=303)

    def set_language(self, request: Request):
        lang = request.path_params["lang"]
        response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
        if lang in i18n.LANGUAGES:
            response.set_cookie("hb_lang", lang, samesite="strict", max_age=365 * 86400)
        return response

    def login_page(self, request: Request):
        _ = translate(request)
        return page(
            request, "login.html", {"title": _("Please sign in"), "next": safe_next(request.query_params.get("next"))}
        )

    async def login(self, request: Request):
        data = await posted(request)
        _ = translate(request)
        token = self.settings.token
        given = str(data.get("token") or "")
        if not token or not hmac.compare_digest(given.encode(), token.encode()):
            return page(
                request,
                "login.html",
                {"title": _("Please sign in"), "next": safe_next(data.get("next")), "wrong": True},
                status=401,
            )
        response = RedirectResponse(safe_next(data.get("next")), status_code=303)
        response.set_cookie("hb_auth", session_value(token), httponly=True, samesite="strict", path="/")
        return response


def check_content(body: bytes, suffix: str, _) -> None:
    """The file is what its name says: a PDF starts %PDF-, a Word file is a zip, text has no NUL bytes."""
    ok = {".pdf": body[:1024].lstrip().startswith(b"%PDF-"), ".docx": body.startswith(b"PK\x03\x04")}.get(
        suffix, b"\x00" not in body[:65536]
    )
    if not ok:
        raise BadInput(
            _("the file's content is not a {kind} file", kind=suffix[1:].upper()), _("check that it is the right file")
        )


def glossary_of(doc) -> dict[str, dict]:
    """Per glossary term met in the document: the agreed rendering and its status, for highlighting."""
    out = {}
    for seg in doc.segments:
        for item in seg.glossary:
            source = item.get("source") or ""
            if source and source not in out:
                out[source] = {
                    "expected": item.get("expected", ""),
                    "status": item.get("status", ""),
                    "note": item.get("note", ""),
                }
    return out


def highlight(text: str, terms: dict[str, dict]):
    """`text` as HTML with each glossary term wrapped in a focusable mark whose tooltip gives the rendering."""
    from markupsafe import Markup, escape

    if not terms:
        return escape(text)
    pattern = re.compile("|".join(rf"\b{re.escape(t)}\b" for t in sorted(terms, key=len, reverse=True)), re.I)
    parts, last = [], 0
    lower = {t.casefold(): t for t in terms}
    for match in pattern.finditer(text):
        term = terms.get(lower.get(match.group().casefold(), ""), {})
        tip = " — ".join(filter(None, [term.get("expected", ""), term.get("status", ""), term.get("note", "")]))
        parts.append(escape(text[last : match.start()]))
        parts.append(
            Markup('<mark class="term" tabindex="0" data-tip="{0}" aria-label="{1}: {0}">{1}</mark>').format(
                tip, match.group()
            )
        )
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("").join(parts)


def lifespan(web: Web):
    import contextlib

    @contextlib.asynccontextmanager
    async def running(_app):
        yield
        web.jobs.shutdown()
        library.fold_all()

    return running


def create_app(settings: Settings) -> Starlette:
    if not settings.loopback and not settings.token:
        raise BadConfig(
            f"--host {settings.host} lets other machines in: a --token is required",
            "give --token (or --token-file), or leave --host at 127.0.0.1",
        )
    web = Web(settings)
    routes = [
        Route("/", web.home),
        Route("/leaflets", web.upload, methods=["POST"]),
        Route("/leaflets/{uid}", web.leaflet),
        Route("/leaflets/{uid}/make", web.make, methods=["POST"]),
        Route("/jobs/{jid}", web.job_page),
        Route("/jobs/{jid}/status", web.job_status),
        Route("/d/{doc}", web.document),
        Route("/d/{doc}/f/{key}", web.download),
        Route("/d/{doc}/thumb/{key}/{page:int}", web.thumb),
        Route("/d/{doc}/review", web.review_page),
        Route("/d/{doc}/s/{seg}", web.save, methods=["POST"]),
        Route("/d/{doc}/render", web.rerender, methods=["POST"]),
        Route("/d/{doc}/listen", web.listen),
        Route("/glossary", web.glossary),
        Route("/glossary/propose", web.propose, methods=["POST"]),
        Route("/lang/{lang}", web.set_language),
        Route("/login", web.login_page),
        Route("/login", web.login, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    # Each handler takes the exception type it is registered for (Starlette types them all as Exception).
    handlers: dict[Any, Any] = {
        HandbillError: handbill_error,
        HTTPException: http_error,
        Exception: internal_error,
        OSError: handbill_error,
    }
    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard, settings=settings)],
        exception_handlers=handlers,
        lifespan=lifespan(web),
    )
    app.state.web = web
    return app
