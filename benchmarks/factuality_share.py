"""The factuality label's share of ingest analysis time (issue 22: at most 5%).

    python benchmarks/factuality_share.py [--rounds 2]

Parses the test corpus, the PolNeAR sample and the seed articles with the real pipeline,
times `analyze_article` (parse, passages, statements, actions) for each, and separately
times `factuality_of` and `source_of` on every event word of the same parses.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script: make `index` importable
    sys.path.insert(0, str(ROOT))


def main() -> None:
    from coveragebot.index.analysis import analyze_article
    from coveragebot.index.ingest.loaders import load_article_file
    from coveragebot.index.text.pipeline import load_pipeline
    from coveragebot.index.text.sentences import segment
    from coveragebot.index.who.events import event_at
    from coveragebot.index.who.factuality import factuality_of, source_of

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    data = ROOT / "tests" / "data"
    articles = [a for p in sorted((data / "corpus").glob("*.json")) for a in load_article_file(p)]
    articles += load_article_file(data / "polnear_sample.json")
    articles += [a for p in sorted((ROOT / "config" / "seeds").glob("*")) for a in load_article_file(p)]
    nlp = load_pipeline()
    analyze_article(nlp, articles[0])  # warm the pipeline
    analysis = labelling = 0.0
    events = 0
    for _ in range(args.rounds):
        for article in articles:
            began = time.process_time()
            analyze_article(nlp, article)
            analysis += time.process_time() - began
            doc, _ = segment(nlp, article.text)
            words = [token for token in doc if event_at(token) is not None]
            began = time.process_time()
            for word in words:
                factuality_of(word)
                source_of(word)
            labelling += time.process_time() - began
            events += len(words)
    print(f"{len(articles)} articles x {args.rounds}, {events} events: analysis {analysis:.2f} s,"
          f" factuality and teller {1000 * labelling:.0f} ms = {100 * labelling / analysis:.2f}% (target <= 5%)")


if __name__ == "__main__":
    main()
