"""A headless run written down: JUnit XML for CI, Markdown or self-contained HTML for people.

JUnit: one `testsuite` per scenario variant, one `testcase` per step (`failure` with the check
details, `error` for an action that could not be done, `skipped`), and a suite per invalid file
whose case fails with the loader's lines. Markdown: the screens at each step written as `.svg`
files in `<report>_captures/` beside the report, and linked. HTML: one file, the screens inline,
no external asset (the SVGs' web fonts are dropped: the browser's monospace font draws them).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from ens_consent_tui.i18n import Catalogue
from ens_consent_tui.scenarios.headless import RunReport, ScenarioResult, StepResult

REPORT_SUFFIXES = (".md", ".html")
STATUS_GLYPHS = {"passed": "✓", "failed": "✗", "error": "⚠", "skipped": "–"}
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_SLUG = re.compile(r"[^a-z0-9]+")


def status_words(t: Catalogue, status: str) -> str:
    """`✓ réussi`, `✗ échoué`: a glyph and a word, never colour alone."""
    return f"{STATUS_GLYPHS[status]} {t(f'runner.status.{status}')}"


def offline_svg(svg: str) -> str:
    """The screenshot without its web font (an external address)."""
    return _FONT_FACE.sub("", svg)


# --- JUnit -------------------------------------------------------------------------------------


def junit_xml(report: RunReport, t: Catalogue) -> str:
    """The run as JUnit XML (counts on every suite and on the whole)."""
    root = ET.Element("testsuites", name="ens-consent scenarios")
    for invalid in report.invalid:
        suite = _suite(root, invalid.path, invalid.path)
        case = ET.SubElement(suite, "testcase", classname=invalid.path,
                             name=t("runner.report.invalid_case"), time="0")
        failure = ET.SubElement(case, "failure", message=invalid.lines[0] if invalid.lines
                                else t("runner.report.invalid_case"), type="invalid")
        failure.text = "\n".join(invalid.lines)
        _count(suite, [case])
    for scenario in report.scenarios:
        _scenario_suite(root, scenario, t)
    _count(root, list(root))
    root.set("time", f"{report.seconds:.3f}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _suite(root: ET.Element, name: str, file: str) -> ET.Element:
    return ET.SubElement(root, "testsuite", name=name, file=file)


def _scenario_suite(root: ET.Element, scenario: ScenarioResult, t: Catalogue) -> None:
    suite = _suite(root, scenario.name, scenario.file)
    suite.set("time", f"{scenario.seconds:.3f}")
    classname = Path(scenario.file).stem + (f"[{scenario.variant}]" if scenario.variant else "")
    if scenario.error and not any(step.status == "error" for step in scenario.steps):
        case = ET.SubElement(suite, "testcase", classname=classname,
                             name=t("runner.report.start_case"), time="0")
        ET.SubElement(case, "error", message=scenario.error, type="start").text = scenario.error
    for step in scenario.steps:
        case = ET.SubElement(suite, "testcase", classname=classname,
                             name=f"{step.index:02d}. {step.title}", time=f"{step.seconds:.3f}")
        if step.status == "failed":
            details = [check.detail for check in step.failures]
            ET.SubElement(case, "failure", message=details[0], type="expectation").text = \
                "\n".join(details)
        elif step.status == "error":
            ET.SubElement(case, "error", message=step.reason or "", type="action").text = \
                step.reason
        elif step.status == "skipped":
            ET.SubElement(case, "skipped", message=step.reason or "")
        out = "\n".join(_step_lines(step, t))
        if out:
            ET.SubElement(case, "system-out").text = out
    _count(suite, list(suite.iter("testcase")))


def _count(node: ET.Element, cases: list[ET.Element]) -> None:
    """tests, failures, errors, skipped of `node` from its test cases (or suites)."""
    if node.tag == "testsuites":
        totals = {key: sum(int(suite.get(key, "0")) for suite in cases)
                  for key in ("tests", "failures", "errors", "skipped")}
    else:
        totals = {"tests": len(cases),
                  "failures": sum(case.find("failure") is not None for case in cases),
                  "errors": sum(case.find("error") is not None for case in cases),
                  "skipped": sum(case.find("skipped") is not None for case in cases)}
    for key, value in totals.items():
        node.set(key, str(value))


def _step_lines(step: StepResult, t: Catalogue) -> Iterator[str]:
    if step.action:
        yield t("runner.report.action", action=step.action)
    if step.done:
        yield t("runner.report.done", done=step.done)
    for check in step.checks:
        yield f"{'✓' if check.ok else '✗'} {check.detail}"


# --- Markdown ----------------------------------------------------------------------------------


def captures_dir(report_path: Path) -> Path:
    """`out_captures/` beside `out.md`."""
    return report_path.with_name(f"{report_path.stem}_captures")


def capture_name(number: int, scenario: ScenarioResult, step: StepResult) -> str:
    """`03-grossesse-consentement-partiel-type-05.svg`: scenario order, file, variant, step."""
    variant = f"-{scenario.variant.partition('=')[2]}" if scenario.variant else ""
    stem = _SLUG.sub("-", Path(scenario.file).stem.lower()).strip("-")
    return f"{number:02d}-{stem}{variant}-{step.index:02d}.svg"


def markdown(report: RunReport, t: Catalogue, captures: str | None = None
             ) -> tuple[str, dict[str, str]]:
    """The report as Markdown, and the screenshots to write (file name → SVG) in the folder
    `captures` the links point to (None: no screenshot is linked)."""
    lines = [f"# {t('runner.report.title')}", "", summary_line(report, t), ""]
    files: dict[str, str] = {}
    lines += _md_overview(report, t)
    if report.invalid:
        lines += ["", f"## {t('runner.report.invalid')}", ""]
        for invalid in report.invalid:
            lines += [f"- `{invalid.path}`", *(f"  - {line}" for line in invalid.lines)]
    for number, scenario in enumerate(report.scenarios, start=1):
        lines += ["", f"## {number}. {_md(scenario.name)}", ""]
        lines += _md_scenario_head(scenario, t)
        for step in scenario.steps:
            lines += ["", f"### {status_words(t, step.status)} — {step.index}. {_md(step.title)}",
                      ""]
            lines += _md_step(step, t)
            if captures is not None and step.screenshot:
                name = capture_name(number, scenario, step)
                files[name] = offline_svg(step.screenshot)
                lines += ["", f"![{_md(t('runner.report.screen', index=step.index))}]"
                              f"({captures}/{name})"]
    return "\n".join(lines) + "\n", files


def _md(text: str) -> str:
    """Text that Markdown shows as written."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def summary_line(report: RunReport, t: Catalogue) -> str:
    passed = sum(s.passed for s in report.scenarios)
    return t("runner.summary", passed=passed, failed=len(report.scenarios) - passed,
             invalid=len(report.invalid),
             steps=sum(len(s.steps) for s in report.scenarios), seconds=f"{report.seconds:.1f}")


def _md_overview(report: RunReport, t: Catalogue) -> list[str]:
    if not report.scenarios:
        return []
    lines = [f"| {t('runner.report.scenario')} | {t('runner.report.result')} | "
             f"{t('runner.report.steps')} | {t('runner.report.seconds')} |", "|---|---|---|---|"]
    for scenario in report.scenarios:
        result = status_words(t, "passed" if scenario.passed else "failed")
        lines.append(f"| {_md(scenario.name)} | {result} | {_step_counts(scenario, t)} | "
                     f"{scenario.seconds:.1f} |")
    return lines


def _step_counts(scenario: ScenarioResult, t: Catalogue) -> str:
    return ", ".join(f"{scenario.count(status)} {t(f'runner.status.{status}')}"
                     for status in STATUS_GLYPHS if scenario.count(status))


def _md_scenario_head(scenario: ScenarioResult, t: Catalogue) -> list[str]:
    lines = [t("runner.report.file", file=f"`{scenario.file}`"),
             t("runner.report.duration", seconds=f"{scenario.seconds:.1f}")]
    lines = [f"- {line}" for line in lines]
    if scenario.description:
        lines += ["", f"> {_md(scenario.description)}"]
    if scenario.error:
        lines += ["", f"**{status_words(t, 'error')}** — {_md(scenario.error)}"]
    return lines


def _md_step(step: StepResult, t: Catalogue) -> list[str]:
    lines = []
    if step.action:
        lines.append(f"- {_md(t('runner.report.action', action=step.action))}")
    lines.append(f"- {_md(t('runner.report.notes', notes=step.notes))}")
    if step.done:
        lines.append(f"- {_md(t('runner.report.done', done=step.done))}")
    if step.reason:
        lines.append(f"- **{_md(step.reason)}**")
    for check in step.checks:
        lines.append(f"- {'✓' if check.ok else '✗'} {_md(check.expectation)} — "
                     f"{_md(check.detail)}")
    lines.append(f"- {t('runner.report.duration', seconds=f'{step.seconds:.2f}')}")
    return lines


# --- HTML --------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto;
       padding: 0 1rem; line-height: 1.45; color: #1b1b1b; background: #fff; }
h1, h2, h3 { line-height: 1.2; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #999; padding: .3rem .6rem; text-align: left; vertical-align: top; }
.passed { color: #0a6b2d; } .failed, .error { color: #a1121e; } .skipped { color: #555; }
section.scenario { border-top: 2px solid #333; margin-top: 2rem; }
article.step { border-left: 4px solid #999; padding-left: 1rem; margin: 1.5rem 0; }
article.step.passed { border-color: #0a6b2d; } article.step.failed,
article.step.error { border-color: #a1121e; }
.notes { font-style: italic; } .meta { color: #444; font-size: .9rem; }
ul.checks { list-style: none; padding-left: 0; } ul.checks li { margin: .2rem 0; }
details svg { max-width: 100%; height: auto; display: block; }
"""


def html_report(report: RunReport, t: Catalogue) -> str:
    """One self-contained page: summary, each scenario, each step with its screen inline."""
    e = html.escape
    parts = [f'<!DOCTYPE html>\n<html lang="{e(t.lang)}">\n<head>\n<meta charset="utf-8">',
             f"<title>{e(t('runner.report.title'))}</title>", f"<style>{_CSS}</style>",
             "</head>\n<body>", f"<h1>{e(t('runner.report.title'))}</h1>",
             f"<p>{e(summary_line(report, t))}</p>"]
    parts += _html_overview(report, t)
    if report.invalid:
        parts.append(f"<h2>{e(t('runner.report.invalid'))}</h2><ul>")
        for invalid in report.invalid:
            parts.append(f"<li><code>{e(invalid.path)}</code><ul>"
                         + "".join(f"<li>{e(line)}</li>" for line in invalid.lines)
                         + "</ul></li>")
        parts.append("</ul>")
    for number, scenario in enumerate(report.scenarios, start=1):
        parts += _html_scenario(number, scenario, t)
    parts.append("</body>\n</html>\n")
    return "\n".join(parts)


def _html_overview(report: RunReport, t: Catalogue) -> list[str]:
    if not report.scenarios:
        return []
    e = html.escape
    rows = [f"<table><tr><th>{e(t('runner.report.scenario'))}</th>"
            f"<th>{e(t('runner.report.result'))}</th><th>{e(t('runner.report.steps'))}</th>"
            f"<th>{e(t('runner.report.seconds'))}</th></tr>"]
    for number, scenario in enumerate(report.scenarios, start=1):
        status = "passed" if scenario.passed else "failed"
        rows.append(f'<tr><td><a href="#scenario-{number}">{e(scenario.name)}</a></td>'
                    f'<td class="{status}">{e(status_words(t, status))}</td>'
                    f"<td>{e(_step_counts(scenario, t))}</td>"
                    f"<td>{scenario.seconds:.1f}</td></tr>")
    rows.append("</table>")
    return rows


def _html_scenario(number: int, scenario: ScenarioResult, t: Catalogue) -> list[str]:
    e = html.escape
    parts = [f'<section class="scenario" id="scenario-{number}">',
             f"<h2>{number}. {e(scenario.name)}</h2>",
             f'<p class="meta">{e(t("runner.report.file", file=scenario.file))} · '
             f'{e(t("runner.report.duration", seconds=f"{scenario.seconds:.1f}"))}</p>']
    if scenario.description:
        parts.append(f"<blockquote>{e(scenario.description)}</blockquote>")
    if scenario.error:
        parts.append(f'<p class="error"><strong>{e(status_words(t, "error"))}</strong> — '
                     f"{e(scenario.error)}</p>")
    for step in scenario.steps:
        parts += _html_step(step, t)
    parts.append("</section>")
    return parts


def _html_step(step: StepResult, t: Catalogue) -> list[str]:
    e = html.escape
    parts = [f'<article class="step {step.status}">',
             f'<h3><span class="{step.status}">{e(status_words(t, step.status))}</span> — '
             f"{step.index}. {e(step.title)}</h3>"]
    if step.action:
        parts.append(f"<p>{e(t('runner.report.action', action=step.action))}</p>")
    parts.append(f'<p class="notes">{e(t("runner.report.notes", notes=step.notes))}</p>')
    if step.done:
        parts.append(f"<p>{e(t('runner.report.done', done=step.done))}</p>")
    if step.reason:
        parts.append(f'<p class="{step.status}"><strong>{e(step.reason)}</strong></p>')
    if step.checks:
        parts.append('<ul class="checks">')
        for check in step.checks:
            status = "passed" if check.ok else "failed"
            parts.append(f'<li><span class="{status}">{"✓" if check.ok else "✗"}</span> '
                         f"<strong>{e(check.expectation)}</strong> — {e(check.detail)}</li>")
        parts.append("</ul>")
    parts.append(f'<p class="meta">'
                 f'{e(t("runner.report.duration", seconds=f"{step.seconds:.2f}"))}</p>')
    if step.screenshot:
        parts.append(f"<details><summary>{e(t('runner.report.screen', index=step.index))}"
                     f"</summary>{offline_svg(step.screenshot)}</details>")
    parts.append("</article>")
    return parts


# --- writing -----------------------------------------------------------------------------------


def write_report(report: RunReport, path: Path, t: Catalogue) -> list[Path]:
    """Write the report at `path` (`.md` or `.html`); returns every file written."""
    if path.suffix.lower() == ".html":
        path.write_text(html_report(report, t), encoding="utf-8")
        return [path]
    folder = captures_dir(path)
    text, captures = markdown(report, t, folder.name)
    path.write_text(text, encoding="utf-8")
    written = [path]
    if captures:
        folder.mkdir(parents=True, exist_ok=True)
        for name, svg in captures.items():
            (folder / name).write_text(svg, encoding="utf-8")
            written.append(folder / name)
    return written
