#[test]
fn probe() {
    let html =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/agent_eval/grooming/page.html"))
            .unwrap();
    let secs = crate::import::sections(&html, "Huellitas");
    let texts: Vec<String> =
        secs.iter().map(|s| crate::text::clean_text(&format!("{}\n{}", s.title, s.body))).collect();
    let c = crate::catalogue::Catalogue::new(crate::catalogue::catalogue(texts.iter().map(String::as_str)));
    let voc = crate::glossary::Vocabulary::new(texts.iter().map(String::as_str));
    for t in [
        "Buenas tardes, cuánto cuesta nomás el baño, sin corte? es un chihuahua de 3 kilos",
        "Se puede agendar baño medicado? el veterinario le recetó un shampoo a mi perro por hongos",
        "me gustaría un deslanado para mi husky",
        "hola cuanto sale el baño y corte para un schnauzer mediano?",
    ] {
        let e = crate::glossary::expand(t, &voc);
        println!("{e}\n  {:?}", c.matches(&e).iter().map(|s| &s.name).collect::<Vec<_>>());
    }
}
