//! Markdown made for phones, on the `basic` fixture: tables in a labelled scroll box, USSD codes
//! as tap-to-dial links, task lists without form controls, the comparison as table and cards.
//! HTML is checked by parsing it.

mod common;
use common::*;

const PAGE: &str = "---
title: Phone
---
| Code | What |
|---|---|
| `*111#` | balance |

Dial `*911*2*3#` or `#100#`; not `*.md`, `2*3#`, `*133*NUMBER#` or `*111`.
A [link with `*222#`](https://kcell.kz/) stays one link.

- [ ] open item
- [x] done item
";

fn built() -> TestSite {
    let site = TestSite::fixture("basic");
    site.write("content/en/phone.md", PAGE);
    site.write("content/zh/phone.md", PAGE);
    site.build();
    site
}

#[test]
fn every_table_sits_in_a_labelled_focusable_scroll_box() {
    let site = built();
    let en = site.html("public/en/phone/index.html");
    let tables = en.select(&sel(".content table")).count();
    assert_eq!(tables, 1);
    let boxed = sel(".content div.table-wrap[role=region][tabindex=\"0\"] > table");
    assert_eq!(en.select(&boxed).count(), tables);
    assert_eq!(
        attrs(&en, ".content .table-wrap", "aria-label"),
        ["Table (scrolls sideways)"]
    );
    // The label is in the page's language.
    let zh = site.html("public/zh/phone/index.html");
    assert_eq!(
        attrs(&zh, ".content .table-wrap", "aria-label"),
        ["表格（可左右滑动）"]
    );
}

#[test]
fn ussd_codes_become_tel_links_and_nothing_else_does() {
    let site = built();
    let en = site.html("public/en/phone/index.html");
    assert_eq!(
        attrs(&en, ".content a[href^=\"tel:\"]", "href"),
        ["tel:*111%23", "tel:*911*2*3%23", "tel:%23100%23"]
    );
    assert_eq!(
        texts(&en, ".content a[href^=\"tel:\"] > code"),
        ["*111#", "*911*2*3#", "#100#"]
    );
    // Not USSD codes, or already inside a link: plain code.
    let plain: Vec<String> = en
        .select(&sel(".content code"))
        .filter(|c| {
            c.parent()
                .and_then(scraper::ElementRef::wrap)
                .is_none_or(|p| p.value().name() != "a" || p.attr("class") != Some("ussd"))
        })
        .map(|c| c.text().collect())
        .collect();
    assert_eq!(plain, ["*.md", "2*3#", "*133*NUMBER#", "*111", "*222#"]);
    assert_eq!(
        attrs(&en, ".content a[href^=\"https\"]", "href"),
        ["https://kcell.kz/"]
    );
}

#[test]
fn task_lists_have_no_checkboxes_and_say_which_items_are_done() {
    let site = built();
    let en = site.html("public/en/phone/index.html");
    assert_eq!(en.select(&sel(".content input")).count(), 0);
    assert_eq!(texts(&en, ".content li .task-done"), ["✓"]);
    assert_eq!(texts(&en, ".content li .vh"), ["Done:"]);
    assert_eq!(texts(&en, ".content li").len(), 2);
}

#[test]
fn the_comparison_is_a_table_and_one_card_per_item_with_badges() {
    let site = built();
    let en = site.html("public/en/operators/index.html");
    let columns = texts(&en, ".compare-table thead th a");
    let cards = texts(&en, ".compare-card h3 a");
    assert!(columns.len() >= 2, "{columns:?}");
    assert_eq!(columns, cards);
    // Search reads the table only.
    assert_eq!(attrs(&en, ".compare-cards", "data-search-ignore").len(), 1);
    // An unconfirmed fact is the short badge in both, explained once in the legend.
    let short = texts(&en, ".legend .status-unconfirmed");
    assert_eq!(short.len(), 1);
    let cells = texts(
        &en,
        ".compare-table td.fact-unconfirmed, .compare-card .fact-unconfirmed dd",
    );
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|c| c.trim() == short[0]), "{cells:?}");
}

#[test]
fn zh_labels_end_with_a_full_width_colon() {
    let site = built();
    let zh = site.html("public/zh/operators/kcell/index.html");
    let reviewed = texts(&zh, ".reviewed");
    assert!(!reviewed.is_empty());
    assert!(
        reviewed
            .iter()
            .all(|r| r.contains('：') && !r.contains(": ")),
        "{reviewed:?}"
    );
}
