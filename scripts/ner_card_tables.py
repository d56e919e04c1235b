"""Print the model card's metric tables (markdown) from ``scripts/export_ner.py``'s metrics JSON.

    python scripts/ner_card_tables.py runs/ner/metrics.json
"""

from __future__ import annotations

import json
import sys


def table(rep: dict, title: str) -> str:
    lines = [f"**{title}** ({rep['documents']} documents)", "",
             "| label | gold | predicted | strict P | strict R | strict F1 | overlap P | overlap R | overlap F1 |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    rows = rep["overall"]["labels"]
    for lab in sorted(rows) + ["micro"]:
        r = rows[lab] if lab != "micro" else rep["overall"]["micro"]
        s, o = r["strict"], r["overlap"]
        name = f"**{lab}**" if lab == "micro" else lab
        lines.append(f"| {name} | {r['support']} | {r['predicted']} | {s['p']:.3f} | {s['r']:.3f} | {s['f1']:.3f} | "
                     f"{o['p']:.3f} | {o['r']:.3f} | {o['f1']:.3f} |")
    return "\n".join(lines)


def main() -> int:
    m = json.loads(open(sys.argv[1]).read())
    for name, res in m["results"].items():
        print(table(res["none"]["report"], f"{name}, fp32"))
        print()
    print("| set | fp32 tokens/s | int8 tokens/s | fp32 micro overlap F1 | int8 micro overlap F1 |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, res in m["results"].items():
        a, b = res["none"], res["int8"]
        print(f"| {name} | {a['tokens_per_s']:.0f} | {b['tokens_per_s']:.0f} | "
              f"{a['report']['overall']['micro']['overlap']['f1']:.3f} | "
              f"{b['report']['overall']['micro']['overlap']['f1']:.3f} |")
    print()
    print("quantize choice:", m["quantize_choice"])
    print("temperature:", m["temperature"])
    print("vocab labels:", m.get("vocab_labels"), m.get("vocab_val_table"))
    for name, c in m.get("calibration", {}).items():
        print(f"calibration {name}: ECE {c['ece_strict']} over {c['n_spans']} spans")
        for b in c["bins"]:
            print(f"   {b['bin']}: n={b['n']} conf={b['confidence']} acc={b['strict_accuracy']}")
    for name, res in m["results"].items():
        if "none+vocab" in res:
            print(table(res["none+vocab"]["report"], f"{name}, fp32 + vocabulary for {m.get('vocab_labels')}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
