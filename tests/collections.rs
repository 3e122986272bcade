//! Operator pages, facts boxes, the comparison table, the `fact` shortcode and a seventh
//! operator added with no template edits.

mod common;
use common::*;

#[test]
fn operator_page_joins_data_and_prose() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/activ/index.html");
    assert_eq!(texts(&doc, "h1"), ["activ"]);
    assert_eq!(
        texts(&doc, ".facts th"),
        ["Website", "Balance code", "Support"]
    );
    assert_eq!(
        attrs(&doc, ".facts td a[rel=noopener]", "href")[0],
        "https://activ.kz/"
    );
    assert_eq!(
        texts(&doc, ".facts .status"),
        ["Confirmed", "Confirmed", "Secondary"]
    );
    assert!(texts(&doc, ".content p").contains(&"Prose about activ.".to_owned()));
    // Pages whose front matter names the operator are listed on its page.
    assert_eq!(
        attrs(&doc, ".operator-pages a", "href"),
        ["../../guide/topup/index.html"]
    );
    // A language without prose still gets the page, with the facts in its own language.
    let zh = site.html("public/zh/operators/activ/index.html");
    assert_eq!(texts(&zh, ".facts th"), ["网站", "查询余额", "客服"]);
    assert!(
        texts(&zh, ".facts td")
            .iter()
            .any(|t| t.starts_with("在应用内"))
    );
}

#[test]
fn unconfirmed_facts_are_never_shown_as_fact() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/kcell/index.html");
    let cells = texts(&doc, ".facts td");
    assert!(
        cells
            .iter()
            .any(|c| c.starts_with("not confirmed: check the official app or office")),
        "{cells:?}"
    );
    let ru = site.html("public/ru/operators/kcell/index.html");
    assert!(
        texts(&ru, ".facts td")
            .iter()
            .any(|c| c.starts_with("не подтверждено: уточните"))
    );
    // The shortcode renders the same wording inline.
    let page = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        texts(&page, ".content .fact"),
        ["*111*3#", "not confirmed: check the official app or office"]
    );
    assert_eq!(
        attrs(&page, ".content .fact", "class")[1],
        "fact fact-unconfirmed"
    );
}

#[test]
fn page_with_operator_shows_its_facts_box() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/guide/topup/index.html");
    assert_eq!(
        attrs(&doc, ".facts h2 a", "href"),
        ["../../operators/activ/index.html"]
    );
    assert_eq!(texts(&doc, ".facts th").len(), 3);
}

#[test]
fn operators_index_compares_side_by_side() {
    let site = TestSite::fixture("basic");
    site.build();
    let doc = site.html("public/en/operators/index.html");
    assert_eq!(
        texts(&doc, ".comparison thead th"),
        ["Fact", "Kcell", "activ"]
    );
    assert_eq!(
        texts(&doc, ".comparison tbody th"),
        ["Website", "Balance code", "Support"]
    );
    let support: Vec<String> = texts(&doc, ".comparison tbody tr:nth-child(3) td");
    assert_eq!(support[0], "—", "a fact the operator does not list");
    assert!(support[1].starts_with("In the app"));
}

#[test]
fn a_seventh_operator_needs_no_template_edits() {
    let site = TestSite::fixture("seven-operators");
    let out = site.build();
    assert!(stderr(&out).contains("no prose for operator 'newtel'"));
    for lang in ["en", "kk"] {
        let doc = site.html(&format!("public/{lang}/operators/index.html"));
        let columns = texts(&doc, ".comparison thead th");
        assert_eq!(columns.len(), 8, "{columns:?}");
        assert_eq!(columns[7], "Newtel");
        assert!(
            site.path(&format!("public/{lang}/operators/newtel/index.html"))
                .is_file()
        );
    }
    let doc = site.html("public/en/operators/newtel/index.html");
    assert_eq!(
        attrs(&doc, ".facts td a[rel=noopener]", "href")[0],
        "https://newtel.example.kz/"
    );
    assert!(broken_links(&site.path("public")).is_empty());
}
