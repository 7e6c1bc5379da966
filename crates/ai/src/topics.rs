//! Questions a line can be seen to answer by what it holds, whatever its words: where the
//! business is (a line with an address) and how to pay (a line naming means of payment).
//! "where are you based?" shares no word with "You'll find us at 48 Fernbank Road".

use crate::words::{fold, has_any, words};

const WHERE: &[&str] = &[
    "where",
    "located",
    "location",
    "address",
    "directions",
    "find you",
    "donde",
    "direccion",
    "ubicacion",
    "ubicados",
    "onde",
    "endereco",
    "localizacao",
    "ou etes",
    "etes ou",
    "c'est ou",
    "ou est",
    "ou se trouve",
    "ou vous trouver",
    "adresse",
    "di mana",
    "dimana",
    "alamat",
    "lokasi",
    "在哪",
    "地址",
    "位置",
    "أين",
    "وين",
    "عنوان",
    "موقع",
];

/// Words of a street address, folded.
const STREET: &[&str] = &[
    "street",
    "st",
    "road",
    "rd",
    "avenue",
    "ave",
    "lane",
    "ln",
    "boulevard",
    "blvd",
    "drive",
    "way",
    "square",
    "calle",
    "avenida",
    "av",
    "avda",
    "plaza",
    "paseo",
    "carrera",
    "rua",
    "travessa",
    "alameda",
    "praca",
    "rue",
    "boulevard",
    "place",
    "chemin",
    "jalan",
    "jl",
    "jln",
    "lorong",
    "persiaran",
];

const PAYING: &[&str] = &[
    "pay",
    "payment",
    "payments",
    "card",
    "cards",
    "cash",
    "pagar",
    "pago",
    "pagos",
    "pagamento",
    "tarjeta",
    "cartao",
    "payer",
    "paiement",
    "bayar",
    "pembayaran",
    "付款",
    "支付",
    "刷卡",
    "الدفع",
    "دفع",
];

/// Words of paying, in a line that names a means of payment.
const PAY_WORDS: &[&str] = &[
    "pay",
    "paid",
    "payment",
    "payments",
    "accept",
    "accepted",
    "we take",
    "pagar",
    "pago",
    "pagos",
    "aceptamos",
    "aceptan",
    "pagamento",
    "aceitamos",
    "payer",
    "paiement",
    "acceptons",
    "bayar",
    "pembayaran",
    "menerima",
    "付款",
    "支付",
    "الدفع",
    "نقبل",
];

/// Means of payment a line can name.
const MEANS: &[&str] = &[
    "cash",
    "card",
    "cards",
    "visa",
    "mastercard",
    "amex",
    "american express",
    "apple pay",
    "google pay",
    "paypal",
    "contactless",
    "efectivo",
    "tarjeta",
    "tarjetas",
    "transferencia",
    "bizum",
    "dinheiro",
    "cartao",
    "cartoes",
    "pix",
    "boleto",
    "especes",
    "carte",
    "cartes",
    "cheque",
    "tunai",
    "kartu",
    "debit",
    "credit",
    "qris",
    "gopay",
    "ovo",
    "现金",
    "刷卡",
    "微信",
    "支付宝",
    "نقد",
    "نقدا",
    "بطاقة",
];

/// Whether `question` asks where the business is.
pub fn asks_where(question: &str) -> bool {
    has_any(&fold(question), WHERE)
}

/// Whether `line` gives an address: a street word with a number a few words from it
/// ("48 Fernbank Road", "Calle Tabasco 214", "12 rue de la Gare"), not a street named in
/// passing beside other numbers ("4 minutes on foot … at the corner of the street").
pub fn has_address(line: &str) -> bool {
    let ws = words(line);
    let number = |w: &String| w.chars().any(|c| c.is_ascii_digit());
    let near = |i: usize| ws[i.saturating_sub(3)..(i + 4).min(ws.len())].iter().any(number);
    ws.iter().enumerate().any(|(i, w)| STREET.contains(&w.as_str()) && near(i))
        || (line.contains(['路', '街']) && line.contains('号'))
        || line.contains("شارع")
}

/// Whether `question` asks how to pay.
pub fn asks_payment(question: &str) -> bool {
    has_any(&fold(question), PAYING)
}

/// Whether `line` names means of payment (two, or one with a word of paying).
pub fn has_payment(line: &str) -> bool {
    let f = fold(line);
    let named = MEANS.iter().filter(|m| crate::words::has_phrase(&f, m)).count();
    named >= 2 || (named == 1 && has_any(&f, PAY_WORDS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_and_means_of_payment_are_told_apart_from_other_lines() {
        assert!(asks_where("where are you based"));
        assert!(asks_where("onde fica o salão?"));
        assert!(asks_where("en dónde están exactamente?"));
        assert!(!asks_where("how much is a haircut?"));
        assert!(has_address("You'll find us at 48 Fernbank Road, London N7 8QT."));
        assert!(has_address("Estamos en Calle Tabasco 214, local B, Colonia Roma Norte."));
        assert!(has_address("Rua Harmonia, 512 — Vila Madalena"));
        assert!(!has_address("The nearest tube is 6 minutes on foot."));
        assert!(!has_address("Parking on the street is free."));
        assert!(!has_address(
            "Métro D (4 minutes à pied) ; tram T1, arrêt Saint-André. Une station se trouve au coin de la rue."
        ));
        assert!(has_address("Institut Belle Saison, 27 rue Chevreul, 69007 Lyon"));
        assert!(asks_payment("what forms of payment do u take"));
        assert!(asks_payment("aceptan tarjeta?"));
        assert!(has_payment("We take cash, all major cards and Apple Pay."));
        assert!(has_payment("Aceptamos efectivo, tarjeta de débito y crédito y transferencia SPEI."));
        assert!(!has_payment("Bring your insurance card to your first visit"));
    }
}
