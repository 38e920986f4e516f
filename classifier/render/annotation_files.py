"""Reading annotate's JSON Lines output back, to render it again (as review pages)
without running the model a second time."""

from __future__ import annotations

from numbers import Real
from pathlib import Path

from classifier.errors import HnwError, InputError
from classifier.fileio import mark_output_folder
from classifier.inference.batch import MANIFEST, read_manifest
from classifier.readers import OUTPUT_MARK
from classifier.readers.decoding import decode_text
from classifier.readers.jsonl import checked_lines, problem_list
from classifier.render.context import OutputContext
from classifier.render.output import write_records


def read_annotations(path: str | Path, *, codes: list[str]) -> list[dict]:
    """The records of one file that `annotate --format jsonl` wrote, checked against `codes`.
    Every problem in the file is collected and reported at once, by line."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    text = decode_text(path.read_bytes(), source=str(path)).lstrip("\ufeff")
    records, problems = checked_lines(text, lambda raw: _check(raw, codes))
    if problems:
        raise InputError(problem_list(str(path), problems))
    if not records:
        raise InputError(f"{path}: no annotation records; expected the JSON Lines that annotate writes")
    return records


def annotation_inputs(items: list[str | Path]) -> list[tuple[str, str]]:
    """(file, name) per annotation file: a file as given, named by its stem; a batch output
    folder's .jsonl outputs as its manifest lists them (skipped and failed inputs have none),
    named by their path in the folder; another folder's .jsonl files, likewise."""
    found: list[tuple[str, str]] = []
    for item in map(Path, items):
        if not item.is_dir():
            found.append((str(item), item.stem))
        elif (item / MANIFEST).is_file():
            for entry in read_manifest(item).values():
                output = entry.get("output") or ""
                if entry.get("status") == "ok" and output.endswith(".jsonl"):
                    found.append((str(item / output), output[: -len(".jsonl")]))
        else:
            files = sorted(p for p in item.rglob("*.jsonl") if not p.name.startswith("."))
            found += [(str(p), p.relative_to(item).as_posix()[: -len(".jsonl")]) for p in files]
    return found


def pages_from_annotations(inputs: list[tuple[str, str]], *, codes: list[str], context: OutputContext,
                           output_dir: str | Path) -> list[tuple[str, Path | None, str | None]]:
    """One review page per annotation file (e.g. each output of a batch run), named like the
    file: (input, page, None) for each page written, (input, None, error) for each bad file."""
    results, owners = [], {}
    mark_output_folder(output_dir, OUTPUT_MARK, "hnw-classifier review-page wrote this folder")
    for item, name in inputs:
        page = Path(output_dir) / f"{name}.html"
        if page in owners:
            results.append((item, None, f"{item}: its page {page} would overwrite that of {owners[page]}"))
            continue
        owners[page] = item
        try:
            records = read_annotations(item, codes=codes)
        except HnwError as exc:
            results.append((item, None, str(exc)))
            continue
        write_records(records, page, "html", codes=codes, context=context)
        results.append((item, page, None))
    return results


def _check(raw: object, codes: list[str]) -> str | None:
    if not isinstance(raw, dict):
        return f"expected a JSON object, found {type(raw).__name__}"
    missing = [k for k in ("transcript", "index", "text", "codes", "scores") if k not in raw]
    if missing:
        return f"missing {', '.join(missing)}; expected a record as annotate writes it"
    if not isinstance(raw["text"], str) or not isinstance(raw["transcript"], str) or not isinstance(raw["index"], int):
        return "expected text and transcript as strings and index as a whole number"
    if not isinstance(raw["codes"], list) or not all(isinstance(c, str) for c in raw["codes"]):
        return f"'codes' must be a list of codes, found {raw['codes']!r}"
    unknown = sorted(set(raw["codes"]) - set(codes))
    if unknown:
        return f"unknown code(s) {', '.join(unknown)}; the model has {', '.join(codes)}"
    scores = raw["scores"]
    if not isinstance(scores, dict) or set(scores) != set(codes) or not all(
            isinstance(v, Real) and not isinstance(v, bool) for v in scores.values()):
        return f"'scores' must give a probability for each of {', '.join(codes)}, found {scores!r}"
    return None
