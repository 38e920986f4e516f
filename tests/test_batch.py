import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from classifier.cli import cli
from classifier.inference.batch import JOURNAL, MANIFEST, run_batch
from classifier.loop.review_csv import read_review_file
from classifier.readers import find_inputs
from classifier.shipped import shipped

GOOD = ["interview_labels.txt", "teams.vtt", "zoom.vtt", "interview.srt", "notes.md", "word_export.txt"]


def outputs(directory: Path) -> dict[str, bytes]:
    return {p.relative_to(directory).as_posix(): p.read_bytes() for p in sorted(directory.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


@pytest.fixture()
def collection(tmp_path, data_dir):
    """Transcripts plus one bad file, as a researcher's folder would hold them."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(data_dir / name, folder / name)
    (folder / "kapot.vtt").write_bytes((data_dir / "bad_timing.vtt").read_bytes())
    return sorted(str(p) for p in folder.iterdir())


def test_batch_writes_one_file_per_transcript_and_a_manifest(collection, small_model_dir, tmp_path):
    out = tmp_path / "out"
    summary, entries = run_batch(collection, model_dir=small_model_dir, output_dir=out)
    assert summary.files == 7 and summary.failed == 1 and summary.skipped == 0 and summary.unchanged == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted([n + ".jsonl" for n in GOOD] + [MANIFEST])
    manifest = [json.loads(line) for line in (out / MANIFEST).read_text().splitlines()]
    assert [m["input"] for m in manifest] == collection
    bad = next(m for m in manifest if m["input"].endswith("kapot.vtt"))
    assert bad["status"] == "failed" and "malformed cue timing" in bad["error"]
    teams = next(m for m in manifest if m["input"].endswith("teams.vtt"))
    assert teams["paragraphs"] == 4 and teams["status"] == "ok" and len(teams["sha256"]) == 64
    assert summary.paragraphs == sum(m["paragraphs"] for m in manifest)
    assert not (out / JOURNAL).exists()


def test_rerun_skips_done_inputs_and_force_redoes_them(collection, small_model_dir, tmp_path):
    out = tmp_path / "out"
    run_batch(collection, model_dir=small_model_dir, output_dir=out)
    first = outputs(out)
    summary, _ = run_batch(collection, model_dir=small_model_dir, output_dir=out)
    assert summary.unchanged == 6 and summary.paragraphs == 0 and summary.failed == 1
    assert outputs(out) == first
    changed = next(p for p in collection if p.endswith("interview_labels.txt"))
    Path(changed).write_text("I: Een nieuwe vraag?\nR: Een nieuw antwoord.\n", encoding="utf-8")
    summary, _ = run_batch(collection, model_dir=small_model_dir, output_dir=out)
    assert summary.unchanged == 5 and summary.paragraphs == 2
    summary, _ = run_batch(collection, model_dir=small_model_dir, output_dir=out, force=True)
    assert summary.unchanged == 0


def test_a_model_replaced_in_place_annotates_with_the_new_model(collection, small_model_dir, tmp_path):
    """Same model path, new model (retrained into it): records and manifest name the new one."""

    model = tmp_path / "model"
    shutil.copytree(small_model_dir, model)
    run_batch(collection, model_dir=model, output_dir=tmp_path / "first")
    shutil.rmtree(model)
    shutil.copytree(shipped("models", "default"), model)
    _, manifest = run_batch(collection, model_dir=model, output_dir=tmp_path / "second")
    done = [m for m in manifest if m["status"] == "ok"]
    assert len({m["model"] for m in done}) == 1 and done[0]["model"].startswith("default@")
    for entry in done:
        lines = (tmp_path / "second" / entry["output"]).read_text(encoding="utf-8").splitlines()
        assert {json.loads(line)["model"] for line in lines} == {entry["model"]}


def test_parallel_and_chunked_runs_give_identical_output(collection, small_model_dir, tmp_path):
    run_batch(collection, model_dir=small_model_dir, output_dir=tmp_path / "one")
    run_batch(collection, model_dir=small_model_dir, output_dir=tmp_path / "two", jobs=2, chunk_bytes=200)
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_output_names_depend_only_on_the_inputs_own_path(tmp_path, small_model_dir, data_dir):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(data_dir / "teams.vtt", folder / "a.txt")
    shutil.copy(data_dir / "zoom.vtt", folder / "sub" / "a.txt")
    shutil.copy(data_dir / "interview.srt", folder / "b.srt")
    found, _ = find_inputs([str(folder)])
    run_batch(found, model_dir=small_model_dir, output_dir=tmp_path / "out")
    before = outputs(tmp_path / "out")
    assert set(before) == {"a.txt.jsonl", "sub/a.txt.jsonl", "b.srt.jsonl", MANIFEST}
    shutil.copy(data_dir / "notes.md", folder / "a.md")  # a neighbour with the same stem
    found, _ = find_inputs([str(folder)])
    summary, _ = run_batch(found, model_dir=small_model_dir, output_dir=tmp_path / "out")
    after = outputs(tmp_path / "out")
    assert summary.unchanged == 3 and summary.paragraphs > 0, "nothing already done is redone"
    assert {k: v for k, v in after.items() if k != MANIFEST and k != "a.md.jsonl"} == \
        {k: v for k, v in before.items() if k != MANIFEST}


def test_a_rerun_removes_the_outputs_of_inputs_that_are_gone(tmp_path, small_model_dir, data_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("teams.vtt", "zoom.vtt"):
        shutil.copy(data_dir / name, folder / name)
    run_batch(find_inputs([str(folder)])[0], model_dir=small_model_dir, output_dir=tmp_path / "out")
    (folder / "zoom.vtt").unlink()
    summary, entries = run_batch(find_inputs([str(folder)])[0], model_dir=small_model_dir, output_dir=tmp_path / "out")
    assert summary.removed == 1 and [e["input"] for e in entries] == [str(folder / "teams.vtt")]
    assert set(outputs(tmp_path / "out")) == {"teams.vtt.jsonl", MANIFEST}


def test_two_inputs_with_one_output_name_do_not_overwrite_each_other(tmp_path, small_model_dir, data_dir):
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        shutil.copy(data_dir / "teams.vtt", tmp_path / side / "gesprek.vtt")
    found, _ = find_inputs([str(tmp_path / "a"), str(tmp_path / "b")])
    summary, entries = run_batch(found, model_dir=small_model_dir, output_dir=tmp_path / "out")
    assert [e["status"] for e in entries] == ["ok", "failed"] and summary.failed == 1
    assert "would overwrite that of" in entries[1]["error"] and str(tmp_path / "a") in entries[1]["error"]


def test_cli_batch_summary_and_exit_code(runner, collection, small_model_dir, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(cli, ["annotate", "--model", str(small_model_dir), *collection,
                                 "--output-dir", str(out), "--format", "csv", "-v"])
    assert result.exit_code == 1
    assert "kapot.vtt: line 6: malformed cue timing" in result.stderr
    assert "files 7, paragraphs 27, failed 1, unchanged 0, skipped 0 (unsupported), removed 0 (stale)" in result.stderr
    assert (out / "teams.vtt.csv").is_file()
    both = runner.invoke(cli, ["annotate", collection[0], "-o", "x", "--output-dir", "y"])
    assert both.exit_code == 2 and "not both" in both.output


def _copies(files: list[Path], folder: Path, times: int) -> list[str]:
    """A collection big enough to be killed halfway: `times` copies of each file."""
    folder.mkdir(exist_ok=True)
    inputs = []
    for i in range(times):
        for path in files:
            copy = folder / f"{i}-{path.name}"
            copy.write_bytes(path.read_bytes())
            inputs.append(str(copy))
    return inputs


@pytest.mark.slow
def test_killed_run_resumes_to_the_same_output(tmp_path, small_model_dir, small_corpus):
    """kill -9 in the middle of a batch, rerun: exactly the output of an uninterrupted run."""
    inputs = _copies(small_corpus, tmp_path / "in", 16)  # 128 transcripts: far more than one poll's worth
    command = [sys.executable, "-m", "classifier", "annotate", "--model", str(small_model_dir), *inputs, "-q"]
    reference = tmp_path / "reference"
    subprocess.run(command + ["--output-dir", str(reference)], check=True)

    out = tmp_path / "out"
    process = subprocess.Popen(command + ["--output-dir", str(out)], start_new_session=True)
    journal = out / JOURNAL
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None:
        if journal.is_file() and len(journal.read_text().splitlines()) >= 3:
            os.killpg(process.pid, signal.SIGSTOP)  # frozen where it stands, then killed
            break
        time.sleep(0.005)
    assert process.poll() is None, "the batch finished before it could be killed; make it bigger"
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    done_before = len(journal.read_text().splitlines())
    assert 3 <= done_before < len(inputs)

    subprocess.run(command + ["--output-dir", str(out)], check=True)
    assert outputs(out) == outputs(reference)
    assert not list(out.glob(".*.tmp")) and not journal.exists()


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_do_not_outlive_a_killed_batch(tmp_path, small_model_dir, small_corpus):
    inputs = _copies(small_corpus, tmp_path / "in", 16)
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "classifier", "annotate", "--model", str(small_model_dir),
                                *inputs, "-q", "--jobs", "2", "--output-dir", str(out)], start_new_session=True)
    try:
        journal, workers = out / JOURNAL, []
        deadline = time.time() + 60
        while time.time() < deadline and process.poll() is None:
            workers = _children(process.pid)  # the two workers, and any helper process of the pool
            if len(workers) >= 2 and journal.is_file() and journal.read_text().strip():
                break
            time.sleep(0.02)
        assert process.poll() is None and len(workers) >= 2, "the batch finished before it could be killed"
        process.kill()  # the batch process only, as the out-of-memory killer would
        process.wait()
        killed = time.monotonic()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    while time.monotonic() < killed + 10 and any(_alive(pid) for pid in workers):
        time.sleep(0.01)
    gone = time.monotonic() - killed
    written = sorted(out.glob("*.jsonl"))
    time.sleep(1)
    assert not [pid for pid in workers if _alive(pid)]
    assert gone < 1.0, f"workers outlived the batch process by {gone:.2f} s"
    assert sorted(out.glob("*.jsonl")) == written, "nothing is written after the batch process is gone"


@pytest.mark.slow
def test_dask_local_cluster_matches_local_run(collection, small_model_dir, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    run_batch(collection, model_dir=small_model_dir, output_dir=tmp_path / "local")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        summary, _ = run_batch(collection, model_dir=small_model_dir, output_dir=tmp_path / "dask",
                               scheduler=cluster.scheduler_address)
    assert summary.failed == 1
    assert outputs(tmp_path / "local") == outputs(tmp_path / "dask")


def test_batch_writes_review_files_with_the_chosen_delimiter(small_model_dir, data_dir, tmp_path):
    out = tmp_path / "out"
    inputs = [str(data_dir / "teams.vtt"), str(data_dir / "zoom.vtt")]
    summary, entries = run_batch(inputs, model_dir=small_model_dir, output_dir=out, fmt="review",
                                 format_options={"delimiter": ","})
    assert [e["output"] for e in entries] == ["teams.vtt.review.csv", "zoom.vtt.review.csv"]
    first_line = (out / "teams.vtt.review.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert first_line.startswith("id,transcript,index,speaker,text,")
    rows, problems = read_review_file(out / "teams.vtt.review.csv", codes=["sturen", "vertrouwen", "communicatie",
                                                                        "groei", "binding"])
    assert problems == [] and len(rows) == entries[0]["paragraphs"]


def test_an_output_folder_inside_the_input_folder_is_never_read_as_input(runner, tmp_path, small_model_dir, data_dir,
                                                                          monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    for name in ("teams.vtt", "zoom.vtt"):
        shutil.copy(data_dir / name, folder / name)
    monkeypatch.chdir(folder)
    command = ["annotate", ".", "--output-dir", "out", "--model", str(small_model_dir)]
    first = runner.invoke(cli, command)
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, command)
    assert second.exit_code == 0, second.output
    assert "files 2, paragraphs 0, failed 0, unchanged 2" in second.stderr
    # A second output folder of ours elsewhere in the tree is passed over too.
    third = runner.invoke(cli, ["annotate", ".", "--output-dir", "out2", "--model", str(small_model_dir)])
    assert third.exit_code == 0 and "files 2," in third.stderr
    assert sorted(p.name for p in (folder / "out").iterdir()) == [MANIFEST, "teams.vtt.jsonl", "zoom.vtt.jsonl"]


def test_unsupported_files_in_a_folder_are_skipped_with_the_reason(runner, tmp_path, small_model_dir, data_dir):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(data_dir / "teams.vtt", folder / "teams.vtt")
    (folder / "oud.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / ".DS_Store").write_bytes(b"\x00\x00")
    out = tmp_path / "out"
    result = runner.invoke(cli, ["annotate", str(folder), "--output-dir", str(out), "--model", str(small_model_dir)])
    assert result.exit_code == 0, result.output
    assert "files 3, paragraphs 4, failed 0, unchanged 0, skipped 2 (unsupported)" in result.stderr
    assert f"Skipped: {folder / 'oud.doc'}: unsupported format .doc: old Word format; open it in Word" in result.stderr
    assert f"Skipped: {folder / 'scan.pdf'}: unsupported format .pdf: PDF; export the text" in result.stderr
    manifest = {Path(e["input"]).name: e for e in map(json.loads, (out / MANIFEST).read_text().splitlines())}
    assert set(manifest) == {"teams.vtt", "oud.doc", "scan.pdf"}
    assert manifest["scan.pdf"]["status"] == "skipped" and "pdftotext" in manifest["scan.pdf"]["error"]


def test_one_output_file_is_left_out_when_every_input_failed(runner, tmp_path, small_model_dir, data_dir):
    out = tmp_path / "alles.jsonl"
    result = runner.invoke(cli, ["annotate", str(data_dir / "bad_timing.vtt"), "-o", str(out),
                                 "--model", str(small_model_dir)])
    assert result.exit_code == 1 and "malformed cue timing" in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_jobs_split_one_big_file_in_single_output_mode_and_keep_its_order(runner, tmp_path, small_model_dir,
                                                                          small_corpus, monkeypatch):
    import classifier.inference.batch as batch

    monkeypatch.setattr(batch, "MIN_SLICE", 10)  # slices of a small file, as of a big one
    big = tmp_path / "alles.jsonl"
    big.write_text("".join(p.read_text(encoding="utf-8") for p in small_corpus[:3]), encoding="utf-8")
    args = ["annotate", str(big), "--model", str(small_model_dir), "-q", "-o"]
    assert runner.invoke(cli, args + [str(tmp_path / "one.jsonl")]).exit_code == 0
    assert runner.invoke(cli, args + [str(tmp_path / "two.jsonl"), "--jobs", "2"]).exit_code == 0
    one, two = ((tmp_path / n).read_bytes() for n in ("one.jsonl", "two.jsonl"))
    assert one == two and len(one.splitlines()) > 100


def test_folders_that_review_page_and_summarize_wrote_are_not_inputs(runner, tmp_path, small_model_dir, data_dir,
                                                                     monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(data_dir / "teams.vtt", folder / "teams.vtt")
    monkeypatch.chdir(folder)
    model = ["--model", str(small_model_dir)]
    assert runner.invoke(cli, ["annotate", ".", "--output-dir", "out", *model]).exit_code == 0
    assert runner.invoke(cli, ["review-page", "out", "--output-dir", "pages", *model]).exit_code == 0
    assert runner.invoke(cli, ["summarize", "out", "--output-dir", "overzicht"]).exit_code == 0
    again = runner.invoke(cli, ["annotate", ".", "--output-dir", "out2", *model])
    assert again.exit_code == 0 and "Skipped" not in again.stderr and "files 1," in again.stderr


def test_annotate_output_lying_in_the_folder_is_skipped_not_annotated_again(runner, tmp_path, small_model_dir,
                                                                           data_dir, monkeypatch):
    folder = tmp_path / "project"
    folder.mkdir()
    shutil.copy(data_dir / "teams.vtt", folder / "teams.vtt")
    shutil.copy(data_dir / "corpus_good.jsonl", folder / "eigen.jsonl")  # a corpus file stays an input
    monkeypatch.chdir(folder)
    model = ["--model", str(small_model_dir)]
    assert runner.invoke(cli, ["annotate", "teams.vtt", "-o", "teams-gecodeerd.jsonl", *model]).exit_code == 0
    result = runner.invoke(cli, ["annotate", ".", "--output-dir", "out", *model])
    assert result.exit_code == 0, result.output
    assert ("Skipped: teams-gecodeerd.jsonl: annotate's own output (it holds the model's scores), not a transcript"
            in result.stderr)
    assert "files 3, paragraphs" in result.stderr and "skipped 1 (unsupported)" in result.stderr
    assert sorted(p.name for p in (folder / "out").iterdir()) == ["eigen.jsonl.jsonl", MANIFEST, "teams.vtt.jsonl"]
