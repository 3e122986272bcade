//! `benches/report.py`, the tables of `benches/site.sh`: given raw results of known values at
//! 1k, 10k and 40k pages, the summary computes medians and checks each of the targets
//! (met, not met, or not measurable without Hugo). Runs python3 on files written here; no build.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const MIB: u64 = 1024;

/// One size's results folder, as `site.sh` writes it.
struct Results(PathBuf);

impl Results {
    fn new(root: &Path, per_lang: u32, runs: u32) -> Results {
        let dir = root.join(format!("results-{per_lang}"));
        std::fs::create_dir_all(dir.join("stderr")).unwrap();
        std::fs::write(dir.join("meta"), format!("{per_lang} {runs}\n")).unwrap();
        Results(dir)
    }

    /// Runs of one tool and case: (wall s, rss KiB, files written), CPU and bytes made up.
    fn builds(&self, tool: &str, case: &str, runs: &[(f64, u64, u64)]) -> &Results {
        let lines: String = runs
            .iter()
            .map(|(wall, rss, files)| {
                format!("{wall} {} {rss} {files} {}\n", wall * 1.5, files * 9)
            })
            .collect();
        std::fs::write(self.0.join(format!("{tool}.{case}")), lines).unwrap();
        self
    }

    fn file(&self, name: &str, text: &str) -> &Results {
        std::fs::write(self.0.join(name), text).unwrap();
        self
    }
}

/// steppe's stderr under STEPPE_TIMINGS=1 with a search index stage of `search_ms`, and a
/// content stage that took a tenth of that in CPU time.
fn timings(search_ms: f64) -> String {
    let cpu = search_ms / 10.0;
    format!(
        "     config, i18n, theme:     4.1 ms  (resident 9 MiB)\n  \
         content:    18.6 ms  (cpu {cpu:.0} ms, resident 12 MiB)\n  \
         search index: {search_ms:7.1} ms\n    write:   93.1 ms\n  \
         write counts: written=3 linked=9 bytes=1200\nwarning: something: 1.0 ms later\n"
    )
}

/// The cells of one stage's row in the summary's "Where the time goes" table, one per size.
fn stage_row(dirs: &[&Results], stage: &str) -> Vec<String> {
    let text = report(dirs);
    let table = text
        .split("## Where the time goes")
        .nth(1)
        .expect("a stage table");
    let row = table
        .lines()
        .find(|l| l.starts_with(&format!("| {stage} |")))
        .unwrap_or_else(|| panic!("no row for {stage} in {table}"));
    row.trim_matches('|')
        .split(" | ")
        .skip(1)
        .map(|c| c.trim().to_string())
        .collect()
}

/// What `report.py summary` prints for `dirs`; it must succeed.
fn report(dirs: &[&Results]) -> String {
    let out = Command::new("python3")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/benches/report.py"))
        .arg("summary")
        .args(dirs.iter().map(|d| &d.0))
        .output()
        .expect("python3 runs");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

/// The summary's Markdown rows: (pages, case, measure) → the whole row's cells.
fn summary(dirs: &[&Results]) -> BTreeMap<(String, String, String), Vec<String>> {
    let text = report(dirs);
    let table = text.split("## Summary").nth(1).expect("a summary section");
    table
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| pages"))
        .map(|l| {
            let cells: Vec<String> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().to_string())
                .collect();
            (
                (cells[0].clone(), cells[1].clone(), cells[2].clone()),
                cells,
            )
        })
        .collect()
}

fn met(rows: &BTreeMap<(String, String, String), Vec<String>>, key: (&str, &str, &str)) -> String {
    let key = (key.0.to_string(), key.1.to_string(), key.2.to_string());
    let row = rows
        .get(&key)
        .unwrap_or_else(|| panic!("no row {key:?} in {rows:#?}"));
    row[7].clone()
}

#[test]
fn the_summary_checks_each_target_against_medians() {
    let tmp = tempfile::tempdir().unwrap();
    let one_k = Results::new(tmp.path(), 250, 3);
    one_k
        .builds("steppe", "clean", &[(0.30, 90 * MIB, 400), (0.20, 90 * MIB, 400), (0.21, 90 * MIB, 400)])
        .builds("hugo", "clean", &[(0.8, 200 * MIB, 100); 3])
        .file("watch.steppe", "label=s edits=20 median_ms=35.0 p90_ms=50 max_ms=60 rebuild_ms=30 startup_s=1 peak_rss_kib=100000 rss_kib=90000\n");
    let ten_k = Results::new(tmp.path(), 2500, 3);
    ten_k
        // Medians: wall 1.5 s against Hugo's 8.0 s (≤ 0.25 ×), RSS 500 MiB (> 400).
        .builds("steppe", "clean", &[(1.0, 500 * MIB, 9000), (3.0, 500 * MIB, 9000), (1.5, 500 * MIB, 9000)])
        .builds("hugo", "clean", &[(8.0, 2000 * MIB, 10078), (7.0, 2000 * MIB, 10078), (9.0, 2000 * MIB, 10078)])
        .builds("steppe", "unchanged", &[(0.5, 300 * MIB, 2); 3])
        .builds("hugo", "unchanged", &[(8.0, 2000 * MIB, 10078); 3])
        .builds("steppe", "one-page", &[(0.6, 300 * MIB, 12); 3])
        .builds("hugo", "one-page", &[(8.0, 2000 * MIB, 10078); 3])
        .file("search.steppe", "1000 5000000\n")
        .file("search.hugo", "0 0\n")
        .file("watch.steppe", "label=s edits=20 median_ms=80.0 p90_ms=95 max_ms=120 rebuild_ms=70 startup_s=9 peak_rss_kib=716800 rss_kib=600000\n")
        .file("stderr/steppe.clean.1", &timings(350.0))
        .file("stderr/steppe.clean.2", &timings(900.0))
        .file("stderr/steppe.clean.3", &timings(380.0));
    let forty_k = Results::new(tmp.path(), 10000, 1);
    // 4.0 × the 10k time, 5 × its memory; no Hugo at 40k.
    forty_k.builds("steppe", "clean", &[(6.0, 2500 * MIB, 36000)]);

    let rows = summary(&[&one_k, &ten_k, &forty_k]);
    assert_eq!(met(&rows, ("1k", "clean", "wall time")), "yes");
    assert_eq!(met(&rows, ("1k", "watch", "save → HTML, median")), "**no**");
    assert_eq!(met(&rows, ("10k", "clean", "wall time")), "yes");
    assert_eq!(
        rows[&("10k".into(), "clean".into(), "wall time".into())][3],
        "1.50 s"
    );
    assert_eq!(met(&rows, ("10k", "clean", "peak RSS")), "**no**");
    assert_eq!(met(&rows, ("10k", "nothing changed", "wall time")), "yes");
    assert_eq!(
        met(&rows, ("10k", "nothing changed", "files written")),
        "**no**"
    );
    assert_eq!(
        met(&rows, ("10k", "one page changed", "files written")),
        "yes"
    );
    assert_eq!(met(&rows, ("10k", "watch", "save → HTML, median")), "yes");
    assert_eq!(met(&rows, ("10k", "watch", "peak RSS")), "**no**");
    assert_eq!(met(&rows, ("10k", "search index", "files")), "yes");
    // The median of 350, 900 and 380 ms, not the mean or the last run.
    assert_eq!(
        rows[&(
            "10k".into(),
            "search index".into(),
            "stage time, clean".into()
        )][3],
        "380.0 ms"
    );
    assert_eq!(
        met(&rows, ("10k", "search index", "stage time, clean")),
        "yes"
    );
    assert_eq!(met(&rows, ("40k", "clean", "wall time")), "yes");
    assert_eq!(met(&rows, ("40k", "clean", "peak RSS")), "**no**");
    // Sizes without a target say so instead of guessing.
    assert_eq!(met(&rows, ("1k", "clean", "peak RSS")), "–");
    // Stage wall time, and in brackets the median CPU time (35, 90 and 38 ms) where it was
    // printed; sizes without stage lines show a dash.
    let content = stage_row(&[&one_k, &ten_k, &forty_k], "content");
    assert_eq!(content, ["–", "19 (38)", "–"]);
    let config = stage_row(&[&one_k, &ten_k, &forty_k], "config, i18n, theme");
    assert_eq!(config, ["–", "4", "–"]);
}

#[test]
fn a_target_against_hugo_is_not_measurable_without_hugo() {
    let tmp = tempfile::tempdir().unwrap();
    let ten_k = Results::new(tmp.path(), 2500, 1);
    ten_k
        .builds("steppe", "clean", &[(1.5, 300 * MIB, 9000)])
        .builds("steppe", "unchanged", &[(0.5, 300 * MIB, 0)]);
    let rows = summary(&[&ten_k]);
    assert_eq!(met(&rows, ("10k", "clean", "wall time")), "n/a");
    assert_eq!(
        rows[&("10k".into(), "clean".into(), "wall time".into())][4],
        "–"
    );
    assert_eq!(met(&rows, ("10k", "clean", "peak RSS")), "yes");
    assert_eq!(
        met(&rows, ("10k", "nothing changed", "files written")),
        "yes"
    );
}

/// Each build's steal (the CPU time other guests of the machine took while it ran, the sixth
/// figure of a run) is summed and its worst build named, without moving the medians; results
/// written before steal was recorded say it was not measured.
#[test]
fn steal_is_reported_beside_the_medians_and_never_mixed_into_them() {
    let tmp = tempfile::tempdir().unwrap();
    let ten_k = Results::new(tmp.path(), 2500, 3);
    ten_k
        .file("meta", "2500 3 2\n")
        // Walls 1.0, 2.0 and 1.5 s: the median stays 1.5 s; steal 0.5 s, unknown, 1.3 s.
        .file(
            "steppe.clean",
            "1.0 1.5 1024 10 90 0.50\n2.0 3 1024 10 90 nan\n1.5 2 1024 10 90 1.30\n",
        )
        .builds("hugo", "clean", &[(8.0, 2000 * MIB, 10078); 3]);
    let text = report(&[&ten_k]);
    let line = text
        .lines()
        .find(|l| l.starts_with("steal"))
        .unwrap_or_else(|| panic!("no steal line in {text}"));
    assert_eq!(
        line,
        "steal (other guests' CPU time during the timed builds): 1.8 s in 2 builds; at most \
         1.3 s in one (10k steppe clean, run 3: 43 % of 2 cores over its 1.50 s)"
    );
    let rows = summary(&[&ten_k]);
    assert_eq!(
        rows[&("10k".into(), "clean".into(), "wall time".into())][3],
        "1.50 s"
    );

    let old = Results::new(&tmp.path().join("old"), 2500, 1);
    old.builds("steppe", "clean", &[(1.5, 300 * MIB, 9000)]);
    let text = report(&[&old]);
    assert!(
        text.contains("steal (other guests' CPU time during the timed builds): not measured"),
        "{text}"
    );
}
