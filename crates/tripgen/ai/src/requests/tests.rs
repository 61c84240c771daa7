use super::*;

fn places() -> Vec<(String, Vec<String>)> {
    vec![
        (
            "osm:way:1".into(),
            vec!["Deutsches Museum".into(), "독일 박물관".into()],
        ),
        ("osm:node:2".into(), vec!["Hofbräuhaus".into()]),
        ("osm:node:3".into(), vec!["Dom".into()]),
    ]
}

fn has(i: &RequestIntent, kind: WishKind, target: &str, effect: Effect) -> bool {
    i.wishes
        .iter()
        .any(|w| w.kind == kind && w.target == target && w.effect == effect)
}

#[test]
fn the_issue_requests() {
    let i = parse("We must see the Viktualienmarkt and the Hofbräuhaus. No museums please.");
    assert!(
        has(&i, WishKind::Place, "Viktualienmarkt", Effect::Include),
        "{i:?}"
    );
    assert!(has(&i, WishKind::Place, "Hofbräuhaus", Effect::Include));
    assert!(has(&i, WishKind::Category, "museum", Effect::Avoid));
    let r = i.resolve(&places());
    assert_eq!(r.constraints.must_visit, vec!["osm:node:2".to_string()]);
    assert_eq!(
        r.matched.len(),
        1,
        "the Viktualienmarkt is not in this catalogue"
    );

    let k = parse("뮤지엄은 빼고 공원을 많이 보고 싶어요");
    assert!(
        has(&k, WishKind::Category, "museum", Effect::Avoid),
        "{k:?}"
    );
    assert!(has(&k, WishKind::Category, "park", Effect::More), "{k:?}");
    assert_eq!(k.wishes.len(), 2, "{k:?}");

    let v = parse("vegetarian food, and we start late at 11:00");
    assert!(has(&v, WishKind::Diet, "vegetarian", Effect::Prefer));
    assert_eq!(v.day_start(), Some(11 * 60));
}

#[test]
fn negation_scope_keeps_the_named_exception() {
    let i = parse("No museums but the Deutsches Museum");
    assert!(
        has(&i, WishKind::Category, "museum", Effect::Avoid),
        "{i:?}"
    );
    assert!(
        has(&i, WishKind::Place, "Deutsches Museum", Effect::Include),
        "{i:?}"
    );
    let c = i.constraints(&places());
    assert_eq!(c.must_visit, vec!["osm:way:1".to_string()]);
}

#[test]
fn names_across_scripts_and_case() {
    let c = parse("we must see the hofbrauhaus").constraints(&places());
    assert_eq!(c.must_visit, vec!["osm:node:2".to_string()]);
    let k = parse("호프브로이하우스는 꼭 가고 싶어요").constraints(&places());
    assert_eq!(k.must_visit, vec!["osm:node:2".to_string()]);
    let a = parse("avoid the Hofbräuhaus, and the dom is fine").constraints(&places());
    assert_eq!(a.avoid_places, vec!["osm:node:2".to_string()]);
    assert!(a.must_visit.is_empty(), "3-letter names are not matched");
}

#[test]
fn words_inside_words_do_not_count() {
    let i = parse("we start early and love parking near the hotel and history");
    assert!(
        !has(&i, WishKind::Category, "gallery", Effect::More),
        "start ≠ art"
    );
    assert!(
        !has(&i, WishKind::Category, "park", Effect::More),
        "parking ≠ park"
    );
    assert!(has(&i, WishKind::Category, "historic", Effect::More));
    assert!(parse("").wishes.is_empty());
}
