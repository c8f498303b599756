"""train.py's entry point, end to end on a 50-row frame: the model and the metrics it promises."""

import json

import pytest

import train


def test_main_trains_on_fifty_rows_and_writes_the_model_and_metrics(tmp_path, reference):
    data = tmp_path / "fifty.csv"
    reference.head(50).to_csv(data, index=False)
    out = tmp_path / "out"

    assert train.main(["--data", str(data), "--out", str(out), "--epochs", "2"]) == 0

    assert (out / "model" / "MLmodel").is_file()
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    assert metrics["rows"] == 50 and metrics["epochs"] == 2
    assert 0.0 <= metrics["train_accuracy"] <= 1.0


def test_main_refuses_an_out_directory_with_a_model(tmp_path, reference):
    data = tmp_path / "fifty.csv"
    reference.head(50).to_csv(data, index=False)
    (tmp_path / "out" / "model").mkdir(parents=True)

    with pytest.raises(SystemExit, match="exists already"):
        train.main(["--data", str(data), "--out", str(tmp_path / "out")])


def test_epochs_come_from_the_smoke_step_under_mlops_smoke(monkeypatch):
    monkeypatch.setenv("MLOPS_SMOKE", "1")
    monkeypatch.setenv("MLOPS_EPOCHS", "3")

    args = train.parse_args(["--data", "d.csv", "--out", "o"])

    assert args.epochs == 3 and args.smoke
