"""The ``ehrnlp`` command line.

    ehrnlp extract NOTE.txt --format fhir        one note -> FHIR Bundle / JSON / text / HTML
    ehrnlp vocab lookup "amoxicilin"             what a term maps to
    ehrnlp evaluate --task ner GOLD.jsonl        scores against a gold file
    ehrnlp train --config train.toml             fine-tune the clinical transformer
    ehrnlp convert INPUT... --out DIR            many notes -> Bulk NDJSON

Exit codes (every sub-command): 0 success; 1 a note, an input file or the output failed
(an OS error such as a read-only or full disk is one line, never a traceback); 2 bad usage
or configuration (an unknown option, --workers 0, an --out holding an earlier run or in use
by another run, an input of unknown format, a bad config file); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import EhrnlpError, InputError

log = logging.getLogger("ehrnlp")

# sub-command -> (module providing add_arguments(parser) and main(args), help, extra or None).
# Modules are imported only when their sub-command runs: the training package (ehrnlp.training)
# stays out of `ehrnlp extract` and of the library runtime.
_SUBCOMMANDS: dict[str, tuple[str, str, str | None]] = {
    "vocab": ("ehrnlp.vocab_cli", "look up terms in the vocabularies", None),
    "evaluate": ("ehrnlp.evaluate", "score the pipeline against a gold JSONL file", None),
    "train": ("ehrnlp.training.train", "fine-tune the clinical transformer (needs the [train] extra)", "train"),
    "convert": ("ehrnlp.batch", "convert many notes to FHIR Bulk NDJSON", None),
}


def _read_input(path: str) -> tuple[str, str | None]:
    if path == "-":
        data = sys.stdin.buffer.read()
        name = None
    else:
        p = Path(path)
        if p.is_dir():
            raise InputError(f"{path} is a directory, not a note file; for many notes use: ehrnlp convert {path} --out DIR")
        if not p.is_file():
            raise InputError(f"input file not found: {path}")
        data = p.read_bytes()
        name = p.stem
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 text (invalid byte at offset {exc.start}); convert it first") from None


def _format_text(doc) -> str:
    lines = []
    if doc.deidentified:
        lines.append(f"# de-identified: {len(doc.phi)} PHI span(s) replaced")
    if doc.allergy_status:
        lines.append(f"# allergy status: {doc.allergy_status}")
    for e in doc.entities:
        flags = [f for f in e.assertion.FLAGS if getattr(e.assertion, f)]
        code = f"{e.codes[0].system.rsplit('/', 1)[-1]}:{e.codes[0].code}" if e.codes else "-"
        attrs = ", ".join(f"{a.label}={a.text!r}" for a in e.attributes)
        lines.append(
            f"{e.start:>6}-{e.end:<6} {e.label:<10} {e.text!r:<40} {code:<22} "
            f"{'|'.join(flags) or 'asserted':<12} {e.section or '':<14} {attrs}".rstrip()
        )
    return "\n".join(lines)


def _cmd_extract(args: argparse.Namespace) -> int:
    from .model import Note
    from .pipeline import load

    text, name = _read_input(args.file)
    nlp = load(args.config, deidentify=False if args.no_deid else None, vocab=args.vocab or None)
    doc = nlp(Note(text=text, id=args.id or name, patient=args.patient))
    if args.format == "json":
        out = json.dumps(doc.to_dict(), ensure_ascii=False, indent=2)
    elif args.format == "fhir":
        from .fhir import to_fhir

        fhir_cfg = nlp.config.fhir
        if args.no_merge_mentions:
            fhir_cfg = fhir_cfg.model_copy(update={"merge_mentions": False})
        bundle = to_fhir(doc, patient=args.patient, bundle_type=args.bundle_type, config=fhir_cfg)
        out = json.dumps(json.loads(bundle.model_dump_json(exclude_none=True)), ensure_ascii=False, indent=2)
    elif args.format == "html":
        from .html import render

        out = render(doc).rstrip("\n")
    else:
        out = _format_text(doc)
    sys.stdout.write(out + "\n")
    return 0


def _add_extract(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract entities from one note", description="Run one note through the pipeline.")
    p.add_argument("file", help="a UTF-8 text file, or - for standard input")
    p.add_argument("--format", choices=("json", "fhir", "text", "html"), default="text",
                   help="output format (default: text; html: a self-contained page to open in a browser)")
    p.add_argument("--no-deid", action="store_true", help="skip de-identification (the input must be PHI-free or local)")
    p.add_argument("--config", help="a TOML config file (see docs/config.md)")
    p.add_argument("--vocab", action="append", help="an extra vocabulary TSV (repeatable)")
    p.add_argument("--patient", help="FHIR patient reference, e.g. Patient/123")
    p.add_argument("--id", help="note id (default: the file name)")
    p.add_argument("--bundle-type", choices=("collection", "transaction"), help="Bundle type for --format fhir")
    p.add_argument("--no-merge-mentions", action="store_true",
                   help="--format fhir: one resource per mention instead of one per clinical fact "
                        "(config: [fhir] merge_mentions = false)")
    p.set_defaults(func=_cmd_extract)


def _lazy_subcommand(sub: argparse._SubParsersAction, name: str, module: str, helptext: str,
                     extra: str | None = None) -> None:
    p = sub.add_parser(name, help=helptext, description=helptext)
    try:
        mod = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        # a sub-command with an extra may miss any of the extra's packages; others only their own module
        if extra is None and exc.name != module:
            raise
        fix = f'; pip install "ehrnlp[{extra}]"' if extra else ""
        message = f"ehrnlp {name}: not available in this installation ({exc.name or module} is missing){fix}"
        p.description = message

        def unavailable(_args: argparse.Namespace) -> int:
            print(message, file=sys.stderr)
            return 2

        unavailable.accepts_any_args = True  # type: ignore[attr-defined]  # the real options are unknown
        p.set_defaults(func=unavailable)
        return
    mod.add_arguments(p)
    main_fn: Callable[[argparse.Namespace], int] = mod.main
    p.set_defaults(func=main_fn)


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ehrnlp", description="Clinical notes to FHIR R4, offline.")
    parser.add_argument("--version", action="version", version=f"ehrnlp {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr (never note text)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_extract(sub)
    wanted = None
    if argv:
        wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, (module, helptext, extra) in _SUBCOMMANDS.items():
        if wanted is None or wanted == name:
            _lazy_subcommand(sub, name, module, helptext, extra)
        else:
            sub.add_parser(name, help=helptext)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv)
    args, unknown = parser.parse_known_args(argv)
    if unknown and not getattr(getattr(args, "func", None), "accepts_any_args", False):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except EhrnlpError as exc:
        from .errors import ConfigError, VocabError

        print(f"ehrnlp: error: {exc}", file=sys.stderr)
        code = getattr(exc, "exit_code", None)
        if isinstance(code, int):
            return code
        return 2 if isinstance(exc, (ConfigError, VocabError)) else 1
    except BrokenPipeError:
        return 0
    except OSError as exc:  # a full disk, a read-only folder...: one line, never a traceback
        where = f": {exc.filename}" if exc.filename else ""
        print(f"ehrnlp: error: {exc.strerror or type(exc).__name__}{where}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
