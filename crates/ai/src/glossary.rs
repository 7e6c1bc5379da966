//! Words visitors use in the agent's other languages for what businesses of this kind
//! write about in English (services, prices, parking, payment, insurance, access), so a
//! question in Spanish or Chinese finds an English page's line. The business's own words
//! stay the answer; this only helps find it. General vocabulary of clinics, salons, vets
//! and garages, not any one business's; a few English ways of asking that name no topic
//! word ("where are you?") lead to theirs the same way.

use std::collections::HashSet;

use crate::words::{fold, has_phrase, is_unspaced, singular, words};

/// (words in other languages, folded; the English they stand for).
const TERMS: &[(&[&str], &str)] = &[
    (
        &[
            "precio",
            "precios",
            "cuesta",
            "cuanto",
            "preco",
            "precos",
            "custa",
            "quanto",
            "valor",
            "prix",
            "coute",
            "combien",
            "tarif",
            "harga",
            "berapa",
            "biaya",
            "价格",
            "多少钱",
            "费用",
            "سعر",
            "تكلفة",
            "بكم",
        ],
        "price cost",
    ),
    (
        &[
            "estacionamiento",
            "aparcamiento",
            "estacionar",
            "aparcar",
            "estacionamento",
            "estacionar",
            "stationnement",
            "se garer",
            "parkir",
            "停车",
            "موقف",
            "مواقف",
        ],
        "parking car park",
    ),
    (
        &[
            "direccion",
            "donde estan",
            "ubicacion",
            "endereco",
            "onde fica",
            "localizacao",
            "adresse",
            "ou etes",
            "etes ou",
            "ou se trouve",
            "ou trouver",
            "alamat",
            "lokasi",
            "dimana",
            "di mana",
            "地址",
            "在哪",
            "عنوان",
            "موقع",
            "وين",
            "أين",
            "اين",
            // English asks where without naming it: "where are you (based)?"
            "where are you",
            "where r u",
            "where's the",
            "where is the clinic",
            "how do i find you",
            "how to find you",
        ],
        "address location located find us",
    ),
    (
        &[
            "tarjeta",
            "efectivo",
            "pago",
            "pagar",
            "cartao",
            "dinheiro",
            "pagamento",
            "parcelar",
            "carte",
            "especes",
            "paiement",
            "payer",
            "kartu",
            "tunai",
            "bayar",
            "pembayaran",
            "刷卡",
            "付款",
            "支付",
            "现金",
            "بطاقة",
            "دفع",
            "الدفع",
            "نقدا",
        ],
        "pay payment card cash",
    ),
    (
        &[
            "seguro",
            "aseguradora",
            "plano de saude",
            "convenio",
            "assurance",
            "mutuelle",
            "asuransi",
            "保险",
            "医保",
            "تأمين",
        ],
        "insurance insurer",
    ),
    (
        &[
            "silla de ruedas",
            "cadeira de rodas",
            "acessibilidade",
            "accesible",
            "fauteuil roulant",
            "accessible",
            "kursi roda",
            "轮椅",
            "无障碍",
            "كرسي متحرك",
        ],
        "wheelchair accessible access step-free",
    ),
    (
        &[
            "habla",
            "hablan",
            "espanol",
            "fala",
            "falam",
            "ingles",
            "parle",
            "parlez",
            "francais",
            "bicara",
            "bahasa",
            "说",
            "中文",
            "普通话",
            "يتكلم",
            "تتكلم",
            "العربية",
        ],
        "speak speaks languages",
    ),
    (
        &[
            "cancelar",
            "cancelacion",
            "desmarcar",
            "annuler",
            "annulation",
            "batal",
            "pembatalan",
            "取消",
            "إلغاء",
            "الغاء",
        ],
        "cancel cancellation",
    ),
    (
        &[
            "horario",
            "abren",
            "abierto",
            "aberto",
            "abrem",
            "ouvert",
            "horaires",
            "buka",
            "营业",
            "开门",
            "مفتوح",
            "الدوام",
        ],
        "opening hours open",
    ),
    (&["corte", "cortar", "coupe", "potong rambut", "剪发", "理发", "قص"], "haircut cut"),
    (&["mujer", "feminino", "femme", "wanita", "女士", "女", "نسائي"], "women's women"),
    (&["hombre", "masculino", "homme", "pria", "男士", "男", "رجالي"], "men's men"),
    (&["barba", "barbe", "jenggot", "胡子", "لحية"], "beard"),
    (&["tinte", "coloracion", "coloracao", "tintura", "coloration", "cat rambut", "染发", "صبغة"], "colour color"),
    (&["unas", "unhas", "manicura", "ongles", "kuku", "指甲", "美甲", "أظافر"], "nails manicure"),
    (&["masaje", "massagem", "massage", "pijat", "按摩", "تدليك", "مساج"], "massage"),
    (&["deportivo", "esportiva", "sportif", "olahraga", "运动", "رياضي"], "sports"),
    (&["profundo", "profunda", "profond", "dalam", "深层", "عميق"], "deep"),
    (
        &["limpieza", "limpeza", "nettoyage", "detartrage", "pembersihan", "scaling", "洗牙", "清洁", "تنظيف"],
        "cleaning clean scale",
    ),
    (&["blanqueamiento", "clareamento", "blanchiment", "pemutihan", "美白", "تبييض"], "whitening"),
    (&["empaste", "obturacion", "obturacao", "restauracao", "plombage", "tambal", "补牙", "حشوة"], "filling"),
    (&["extraccion", "extracao", "extraction", "cabut", "拔牙", "خلع"], "extraction"),
    (
        &["consulta", "consultation", "konsultasi", "periksa", "咨询", "问诊", "استشارة", "كشف"],
        "consultation consult check-up",
    ),
    (&["revision", "chequeo", "checkup", "bilan", "pemeriksaan", "检查", "体检", "فحص"], "check-up exam examination"),
    (&["vacuna", "vacunas", "vacina", "vacinas", "vaccin", "vaksin", "疫苗", "تطعيم", "لقاح"], "vaccination vaccine"),
    (&["perro", "perra", "cachorro", "cadela", "chien", "chienne", "anjing", "狗", "كلب"], "dog"),
    (&["gato", "gata", "chatte", "kucing", "猫", "قطة", "قط"], "cat"),
    (
        &[
            "esterilizacion",
            "castracion",
            "castracao",
            "esterilizacao",
            "sterilisation",
            "castration",
            "steril",
            "绝育",
            "تعقيم",
        ],
        "desexing neutering spay",
    ),
    (&["microchip", "microchipado", "puce", "芯片", "شريحة"], "microchip microchipping"),
    (&["aceite", "oleo", "huile", "vidange", "oli", "机油", "الزيت", "زيت"], "oil change"),
    (&["sintetico", "sintetica", "synthetique", "sintetis", "合成", "صناعي"], "synthetic"),
    (&["frenos", "freno", "freios", "freio", "freins", "刹车", "فرامل"], "brake brakes"),
    (&["pastillas", "pastilhas", "plaquettes", "kampas", "刹车片", "تيل"], "pads"),
    (&["bateria", "batterie", "aki", "电池", "بطارية"], "battery"),
    (&["liquido", "fluido", "fluide", "liquide", "cairan", "油液", "سائل"], "fluid"),
    (&["anual", "anuel", "annuel", "annuelle", "tahunan", "年度", "每年", "سنوي", "السنوي"], "annual yearly"),
    (&["neumatico", "neumaticos", "llantas", "pneu", "pneus", "轮胎", "إطار", "اطارات"], "tyre tire tyres tires"),
    (&["alineacion", "alinhamento", "parallelisme", "spooring", "四轮定位", "ترصيص"], "alignment"),
    (&["aire acondicionado", "ar condicionado", "climatisation", "ac mobil", "空调", "مكيف"], "air conditioning a/c"),
    (&["inspeccion", "inspecao", "vistoria", "controle technique", "inspeksi", "检测", "年检", "فحص"], "inspection"),
    (&["depilacion", "depilacao", "epilation", "waxing", "脱毛", "إزالة الشعر"], "hair removal laser"),
    (&["fisioterapia", "physiotherapie", "fisioterapi", "理疗", "物理治疗", "علاج طبيعي"], "physiotherapy physio"),
    (&["domicilio", "em casa", "a domicile", "ke rumah", "上门", "في المنزل"], "home visit"),
    (&["regalo", "presente", "cadeau", "hadiah", "礼品", "礼券", "هدية"], "gift voucher"),
    (&["urgencias", "urgencia", "emergencia", "urgence", "darurat", "急诊", "طوارئ"], "emergency after-hours"),
];

/// The words a business's knowledge uses, folded, singular forms too: a concept's words
/// are offered to a search only where the knowledge has them, so an English question
/// reaches a Portuguese page's "corte feminino" and nothing else of the glossary.
#[derive(Debug, Default)]
pub struct Vocabulary {
    words: HashSet<String>,
    /// The text in scripts written without spaces, searched as is.
    unspaced: String,
}

impl Vocabulary {
    pub fn new<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vocabulary {
        let mut v = Vocabulary::default();
        for text in texts {
            for w in words(text) {
                if w.chars().any(is_unspaced) {
                    v.unspaced.push_str(&w);
                    v.unspaced.push(' ');
                }
                v.words.insert(singular(&w).to_owned());
                v.words.insert(w);
            }
        }
        v
    }

    /// Whether the knowledge holds every word of `term`.
    pub fn has(&self, term: &str) -> bool {
        if term.chars().any(is_unspaced) {
            return self.unspaced.contains(term);
        }
        let ws = words(term);
        !ws.is_empty() && ws.iter().all(|w| self.words.contains(w) || self.words.contains(singular(w)))
    }
}

/// `text` with the words its terms stand for in the knowledge appended.
pub fn expand(text: &str, vocabulary: &Vocabulary) -> String {
    match extra(text, vocabulary) {
        Some(extra) => format!("{text} ({})", extra.english),
        None => text.to_owned(),
    }
}

/// What a question's words stand for in the knowledge's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    /// The knowledge's words (English, or the page's own language).
    pub english: String,
    /// How many of the question's words they stand for ("kursi roda" is two).
    pub translated: usize,
}

/// The knowledge's words for what `text` asks, in whichever language either is written:
/// each concept is found by any of its terms (the English ones included) and offers the
/// rest of them that the knowledge uses.
pub fn extra(text: &str, vocabulary: &Vocabulary) -> Option<Extra> {
    let f = fold(text);
    let mut extra: Vec<&str> = Vec::new();
    let mut translated = 0;
    for (terms, english) in TERMS {
        let found: Vec<&&str> = terms.iter().filter(|t| has_phrase(&f, t)).collect();
        let english_found: Vec<&str> = english.split_whitespace().filter(|e| has_phrase(&f, e)).collect();
        if found.is_empty() && english_found.is_empty() {
            continue;
        }
        translated += found.iter().map(|t| t.split_whitespace().count().max(1)).sum::<usize>() + english_found.len();
        // Asked in English, the knowledge's other-language words only: an English page
        // already matches the question's own words, and its siblings ("car" for "park")
        // lead to the wrong lines as often as to the right ones.
        let english_offered = english.split_whitespace().filter(|_| !found.is_empty());
        let offered = english_offered.chain(terms.iter().copied()).filter(|t| !has_phrase(&f, t) && vocabulary.has(t));
        for t in offered {
            if !extra.contains(&t) {
                extra.push(t);
            }
        }
    }
    (!extra.is_empty()).then(|| Extra { english: extra.join(" "), translated })
}

#[cfg(test)]
mod tests {
    use super::{Vocabulary, expand};

    #[test]
    fn foreign_words_find_english_lines() {
        let garage = Vocabulary::new(["Synthetic oil change — $89.95", "Parking: free parking behind the shop"]);
        let asked = expand("¿cuánto cuesta el cambio de aceite sintético?", &garage);
        assert!(asked.contains("oil change") && asked.contains("synthetic"), "{asked}");
        assert!(expand("停车方便吗？", &garage).contains("parking"));
        assert_eq!(expand("How much is it?", &garage), "How much is it?");
        assert!(!asked.contains("precio"), "only words the knowledge has: {asked}");
    }

    #[test]
    fn english_and_other_questions_find_a_page_in_another_language() {
        let salon = Vocabulary::new(["Corte feminino — R$ 120", "Não temos estacionamento próprio"]);
        let asked = expand("how much is a women's haircut? any parking?", &salon);
        assert!(asked.contains("corte") && asked.contains("feminino"), "{asked}");
        assert!(asked.contains("estacionamento"), "{asked}");
        assert!(expand("女士剪发多少钱？", &salon).contains("feminino"));
        let chinese = Vocabulary::new(["剪发：80元"]);
        assert!(expand("haircut price?", &chinese).contains("剪发"));
    }
}
