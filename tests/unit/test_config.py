import pytest

from ehrnlp.config import Config, build_config
from ehrnlp.errors import ConfigError


def test_defaults():
    cfg = build_config()
    assert cfg.deidentify is True and cfg.deid.operator == "mask" and cfg.fhir.bundle_type == "collection"


def test_unknown_keys_are_errors_naming_the_key():
    with pytest.raises(ConfigError) as exc:
        build_config({"deid": {"operatr": "mask"}})
    assert "deid.operatr" in str(exc.value)
    with pytest.raises(ConfigError):
        build_config({"nope": 1})


def test_wrong_values_are_errors():
    with pytest.raises(ConfigError) as exc:
        build_config({"deid": {"operator": "shred"}})
    assert "deid.operator" in str(exc.value)


def test_toml_file_and_overrides(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text('deidentify = false\n[fhir]\nbundle_type = "transaction"\n[normalization]\nfuzzy_cutoff = 90\n')
    cfg = build_config(p, vocab="extra.tsv")
    assert cfg.deidentify is False and cfg.fhir.bundle_type == "transaction"
    assert cfg.normalization.fuzzy_cutoff == 90 and cfg.vocab == ("extra.tsv",)
    cfg2 = build_config(p, deidentify=True)
    assert cfg2.deidentify is True


def test_bad_toml_and_missing_file(tmp_path):
    with pytest.raises(ConfigError):
        build_config(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("deidentify = = 1")
    with pytest.raises(ConfigError):
        build_config(bad)


def test_config_object_passes_through():
    cfg = Config(deidentify=False)
    assert build_config(cfg).deidentify is False


def test_secret_key_is_hidden_when_printed_but_round_trips():
    from ehrnlp.config import config_to_dict

    cfg = build_config({"deid": {"secret_key": "hunter2-canary", "operator": "surrogate"}})
    assert "hunter2-canary" not in repr(cfg) and "hunter2-canary" not in str(cfg.model_dump())
    assert cfg.deid.secret_key.get_secret_value() == "hunter2-canary"
    assert build_config(config_to_dict(cfg)) == cfg
    assert build_config(cfg).deid.secret_key.get_secret_value() == "hunter2-canary"
