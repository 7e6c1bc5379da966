//! The agent's own sentences in every language it speaks. Facts inside them (a service, a
//! price, hours) come from the business's knowledge as written there.

use crate::lang::Lang;

/// Something the agent says in its own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Say<'a> {
    Greeting,
    /// Thanks, compliments, goodbyes.
    Welcome,
    /// "ok", a test line, an emoji: nothing was asked.
    Acknowledge,
    AskService,
    AskTime {
        service: &'a str,
    },
    AskName,
    AskPhone,
    AskNameAndPhone,
    /// The request is recorded; `when` and `name` when known.
    BookingRecorded {
        service: &'a str,
        when: Option<&'a str>,
        name: Option<&'a str>,
    },
    /// A change to an existing booking (reschedule or cancel) passed to the team.
    ChangeRecorded {
        cancel: bool,
    },
    /// `day` is closed.
    Closed {
        day: &'a str,
    },
    /// A booking asked for a closed day.
    ClosedPickAnother {
        day: &'a str,
    },
    OpenOn {
        day: &'a str,
        hours: &'a str,
    },
    Hours {
        lines: &'a str,
    },
    Price {
        service: &'a str,
        price: &'a str,
        duration: Option<&'a str>,
    },
    /// Several services' prices, listed as the business writes them.
    PriceList {
        list: &'a str,
    },
    HandOver,
    Urgent,
    Apology,
    /// Not sure of the answer: the team will confirm.
    Hold,
    /// The second guess in a row: a person takes over.
    NotSure,
    /// A reply held back because it stated a number the knowledge does not hold.
    WillConfirm,
    /// A call or text back asked for, with the number: passed to the team.
    CallBack,
}

pub fn say(lang: Lang, what: &Say<'_>) -> String {
    match lang {
        Lang::En => en(what),
        Lang::Es => es(what),
        Lang::Pt => pt(what),
        Lang::Fr => fr(what),
        Lang::Id => id(what),
        Lang::Zh => zh(what),
        Lang::Ar => ar(what),
    }
}

fn opt(prefix: &str, v: Option<&str>, suffix: &str) -> String {
    v.map(|v| format!("{prefix}{v}{suffix}")).unwrap_or_default()
}

fn en(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. Would you like to book?"),
        Say::Greeting => "Hi! How can I help you today?".into(),
        Say::Welcome => "You're welcome! Anything else I can help with?".into(),
        Say::Acknowledge => "👍 Let me know if there's anything I can help with.".into(),
        Say::AskService => "Happy to book you in — which service would you like?".into(),
        Say::AskTime { service } => format!("Great — what day and time suit you for the {service}?"),
        Say::AskName => "Which name should I put the booking under?".into(),
        Say::AskPhone => "And a phone number the team can reach you on?".into(),
        Say::AskNameAndPhone => "What name and phone number should I put the booking under?".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "Thanks{}! I've asked the team to book your {service}{} — they'll confirm here shortly.",
            opt(", ", *name, ""),
            opt(" for ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => format!(
            "I've passed your {} request to the team — they'll confirm here shortly.",
            if *cancel { "cancellation" } else { "rescheduling" }
        ),
        Say::Closed { day } => format!("We're closed on {day}."),
        Say::ClosedPickAnother { day } => format!("We're closed on {day} — which other day would suit you?"),
        Say::OpenOn { day, hours } => format!("On {day} we're open {hours}."),
        Say::Hours { lines } => format!("Our opening hours: {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service}: {price}{}. Would you like to book?", opt(" (", *duration, ")"))
        }
        Say::HandOver => "Of course — I'm passing you to a teammate, who will reply here shortly.".into(),
        Say::Urgent => "I'm sorry to hear that. I'm alerting a teammate right now. If it's an emergency, please \
                        call your local emergency number."
            .into(),
        Say::Apology => {
            "I'm sorry about this. I'm passing you to a teammate right away — they'll reply here shortly.".into()
        }
        Say::Hold => "Good question — let me check that with the team and get back to you here.".into(),
        Say::NotSure => {
            "I want to get this right for you, so I'm asking a teammate to answer — they'll reply here shortly.".into()
        }
        Say::WillConfirm => {
            "Let me have the team confirm the exact details for you — they'll reply here shortly.".into()
        }
        Say::CallBack => "I've passed your number to the team — they'll get in touch with you.".into(),
    }
}

fn es(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. ¿Quieres reservar?"),
        Say::Greeting => "¡Hola! ¿En qué puedo ayudarte?".into(),
        Say::Welcome => "¡De nada! ¿Puedo ayudarte en algo más?".into(),
        Say::Acknowledge => "👍 Aquí estoy si necesitas algo.".into(),
        Say::AskService => "¡Con gusto te reservo! ¿Qué servicio te gustaría?".into(),
        Say::AskTime { service } => format!("Perfecto. ¿Qué día y hora te vienen bien para {service}?"),
        Say::AskName => "¿A nombre de quién hago la reserva?".into(),
        Say::AskPhone => "¿Y un número de teléfono para contactarte?".into(),
        Say::AskNameAndPhone => "¿A qué nombre y con qué número de teléfono hago la reserva?".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "¡Gracias{}! He pedido al equipo que reserve {service}{}; te lo confirmarán aquí en breve.",
            opt(", ", *name, ""),
            opt(" para ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => format!(
            "He pasado tu solicitud de {} al equipo; te lo confirmarán aquí en breve.",
            if *cancel { "cancelación" } else { "cambio de cita" }
        ),
        Say::Closed { day } => format!("El {day} está cerrado."),
        Say::ClosedPickAnother { day } => format!("El {day} está cerrado. ¿Qué otro día te viene bien?"),
        Say::OpenOn { day, hours } => format!("El {day} abrimos {hours}."),
        Say::Hours { lines } => format!("Nuestro horario: {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service}: {price}{}. ¿Quieres reservar?", opt(" (", *duration, ")"))
        }
        Say::HandOver => "Claro, te paso con una persona del equipo; te responderá aquí en breve.".into(),
        Say::Urgent => "Lamento oír eso. Estoy avisando ahora mismo a una persona del equipo. Si es una \
                        emergencia, llama al número de emergencias local."
            .into(),
        Say::Apology => "Lo siento mucho. Te paso ahora mismo con una persona del equipo.".into(),
        Say::Hold => "Buena pregunta; lo consulto con el equipo y te respondo aquí.".into(),
        Say::NotSure => "Quiero darte la respuesta correcta, así que se lo paso a una persona del equipo.".into(),
        Say::WillConfirm => "El equipo te confirmará los detalles exactos aquí en breve.".into(),
        Say::CallBack => "He pasado tu número al equipo; se pondrán en contacto contigo.".into(),
    }
}

fn pt(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. Quer agendar?"),
        Say::Greeting => "Olá! Como posso ajudar?".into(),
        Say::Welcome => "De nada! Posso ajudar em mais alguma coisa?".into(),
        Say::Acknowledge => "👍 Estou aqui se precisar de algo.".into(),
        Say::AskService => "Claro, vamos agendar! Qual serviço você gostaria?".into(),
        Say::AskTime { service } => format!("Ótimo! Qual dia e horário são melhores para {service}?"),
        Say::AskName => "Em nome de quem faço o agendamento?".into(),
        Say::AskPhone => "E um telefone para a equipe entrar em contato?".into(),
        Say::AskNameAndPhone => "Qual nome e telefone devo colocar no agendamento?".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "Obrigado{}! Pedi à equipe para agendar {service}{} — vão confirmar aqui em breve.",
            opt(", ", *name, ""),
            opt(" para ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => format!(
            "Passei seu pedido de {} para a equipe — vão confirmar aqui em breve.",
            if *cancel { "cancelamento" } else { "remarcação" }
        ),
        Say::Closed { day } => format!("No {day} estamos fechados."),
        Say::ClosedPickAnother { day } => format!("No {day} estamos fechados. Qual outro dia fica bom para você?"),
        Say::OpenOn { day, hours } => format!("No {day} abrimos {hours}."),
        Say::Hours { lines } => format!("Nosso horário: {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service}: {price}{}. Quer agendar?", opt(" (", *duration, ")"))
        }
        Say::HandOver => "Claro — vou passar você para alguém da equipe, que responde aqui em breve.".into(),
        Say::Urgent => "Sinto muito. Estou avisando alguém da equipe agora mesmo. Se for uma emergência, ligue \
                        para o número de emergência local."
            .into(),
        Say::Apology => "Sinto muito por isso. Vou passar você agora mesmo para alguém da equipe.".into(),
        Say::Hold => "Boa pergunta — vou confirmar com a equipe e respondo aqui.".into(),
        Say::NotSure => "Quero responder certo, então vou pedir para alguém da equipe responder.".into(),
        Say::WillConfirm => "A equipe vai confirmar os detalhes exatos aqui em breve.".into(),
        Say::CallBack => "Passei seu número para a equipe — eles vão entrar em contato.".into(),
    }
}

fn fr(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. Souhaitez-vous réserver ?"),
        Say::Greeting => "Bonjour ! Comment puis-je vous aider ?".into(),
        Say::Welcome => "Avec plaisir ! Puis-je vous aider pour autre chose ?".into(),
        Say::Acknowledge => "👍 Je reste à votre disposition.".into(),
        Say::AskService => "Avec plaisir ! Quelle prestation souhaitez-vous ?".into(),
        Say::AskTime { service } => format!("Parfait. Quel jour et quelle heure vous conviennent pour {service} ?"),
        Say::AskName => "À quel nom dois-je faire la réservation ?".into(),
        Say::AskPhone => "Et un numéro de téléphone pour vous joindre ?".into(),
        Say::AskNameAndPhone => "À quel nom et avec quel numéro de téléphone dois-je réserver ?".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "Merci{} ! J'ai demandé à l'équipe de réserver {service}{} ; elle vous confirmera ici rapidement.",
            opt(" ", *name, ""),
            opt(" pour ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => format!(
            "J'ai transmis votre demande {} à l'équipe ; elle vous confirmera ici rapidement.",
            if *cancel { "d'annulation" } else { "de changement de rendez-vous" }
        ),
        Say::Closed { day } => format!("Nous sommes fermés le {day}."),
        Say::ClosedPickAnother { day } => format!("Nous sommes fermés le {day}. Quel autre jour vous conviendrait ?"),
        Say::OpenOn { day, hours } => format!("Le {day}, nous sommes ouverts {hours}."),
        Say::Hours { lines } => format!("Nos horaires : {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service} : {price}{}. Souhaitez-vous réserver ?", opt(" (", *duration, ")"))
        }
        Say::HandOver => {
            "Bien sûr — je vous mets en relation avec un membre de l'équipe, qui vous répondra ici.".into()
        }
        Say::Urgent => "Je suis désolé. Je préviens un membre de l'équipe immédiatement. En cas d'urgence, \
                        appelez le numéro d'urgence local."
            .into(),
        Say::Apology => "Je suis désolé. Je vous mets tout de suite en relation avec un membre de l'équipe.".into(),
        Say::Hold => "Bonne question — je vérifie auprès de l'équipe et je vous réponds ici.".into(),
        Say::NotSure => "Je veux vous répondre juste : je demande à un membre de l'équipe de vous répondre.".into(),
        Say::WillConfirm => "L'équipe vous confirmera les détails exacts ici rapidement.".into(),
        Say::CallBack => "J'ai transmis votre numéro à l'équipe, qui vous contactera.".into(),
    }
}

fn id(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. Mau reservasi?"),
        Say::Greeting => "Halo! Ada yang bisa kami bantu?".into(),
        Say::Welcome => "Sama-sama! Ada lagi yang bisa kami bantu?".into(),
        Say::Acknowledge => "👍 Kabari kami kalau ada yang bisa dibantu.".into(),
        Say::AskService => "Dengan senang hati! Layanan apa yang Anda inginkan?".into(),
        Say::AskTime { service } => format!("Baik. Hari dan jam berapa yang cocok untuk {service}?"),
        Say::AskName => "Atas nama siapa reservasinya?".into(),
        Say::AskPhone => "Dan nomor telepon yang bisa dihubungi?".into(),
        Say::AskNameAndPhone => "Atas nama siapa dan nomor telepon berapa reservasinya?".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "Terima kasih{}! Saya sudah meminta tim memesan {service}{} — mereka akan konfirmasi di sini segera.",
            opt(", ", *name, ""),
            opt(" untuk ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => format!(
            "Permintaan {} Anda sudah saya teruskan ke tim — mereka akan konfirmasi di sini segera.",
            if *cancel { "pembatalan" } else { "perubahan jadwal" }
        ),
        Say::Closed { day } => format!("Hari {day} kami tutup."),
        Say::ClosedPickAnother { day } => format!("Hari {day} kami tutup. Hari lain apa yang cocok untuk Anda?"),
        Say::OpenOn { day, hours } => format!("Hari {day} kami buka {hours}."),
        Say::Hours { lines } => format!("Jam buka kami: {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service}: {price}{}. Mau reservasi?", opt(" (", *duration, ")"))
        }
        Say::HandOver => "Baik — saya sambungkan dengan tim kami, mereka akan membalas di sini segera.".into(),
        Say::Urgent => "Maaf mendengarnya. Saya segera memberi tahu tim kami. Jika darurat, segera hubungi nomor \
                        darurat setempat."
            .into(),
        Say::Apology => "Mohon maaf atas hal ini. Saya sambungkan Anda dengan tim kami sekarang juga.".into(),
        Say::Hold => "Pertanyaan bagus — saya cek dulu dengan tim dan kabari di sini.".into(),
        Say::NotSure => "Supaya jawabannya tepat, saya minta tim kami yang menjawab.".into(),
        Say::WillConfirm => "Tim kami akan mengonfirmasi detailnya di sini segera.".into(),
        Say::CallBack => "Nomor Anda sudah kami teruskan ke tim — mereka akan menghubungi Anda.".into(),
    }
}

fn zh(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}。需要帮您预约吗？"),
        Say::Greeting => "您好！请问有什么可以帮您？".into(),
        Say::Welcome => "不客气！还有什么可以帮您的吗？".into(),
        Say::Acknowledge => "👍 有需要随时告诉我。".into(),
        Say::AskService => "很乐意为您预约！请问您想预约哪项服务？".into(),
        Say::AskTime { service } => format!("好的。{service}您希望约在哪天几点？"),
        Say::AskName => "请问预约用什么名字？".into(),
        Say::AskPhone => "请留一个联系电话。".into(),
        Say::AskNameAndPhone => "请问预约用什么名字和电话？".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "谢谢{}！我已请同事为您预约{service}{}，稍后会在这里确认。",
            opt("，", *name, ""),
            opt("（", *when, "）")
        ),
        Say::ChangeRecorded { cancel } => {
            format!("您的{}请求已转给同事，稍后会在这里确认。", if *cancel { "取消" } else { "改期" })
        }
        Say::Closed { day } => format!("我们{day}休息。"),
        Say::ClosedPickAnother { day } => format!("我们{day}休息，请问其他哪天方便？"),
        Say::OpenOn { day, hours } => format!("{day}营业时间：{hours}。"),
        Say::Hours { lines } => format!("营业时间：{lines}。"),
        Say::Price { service, price, duration } => {
            format!("{service}：{price}{}。需要帮您预约吗？", opt("（", *duration, "）"))
        }
        Say::HandOver => "好的，我这就为您转接人工客服，稍后会在这里回复您。".into(),
        Say::Urgent => "很抱歉听到这个情况。我已立即通知同事。如遇紧急情况，请拨打当地急救电话。".into(),
        Say::Apology => "非常抱歉。我马上为您转接人工客服。".into(),
        Say::Hold => "好问题，我向同事确认后在这里回复您。".into(),
        Say::NotSure => "为了给您准确的答复，我请同事来回答您。".into(),
        Say::WillConfirm => "具体细节会由同事在这里为您确认。".into(),
        Say::CallBack => "我已把您的电话转给同事，他们会联系您。".into(),
    }
}

fn ar(what: &Say<'_>) -> String {
    match what {
        Say::PriceList { list } => format!("{list}. هل تريد الحجز؟"),
        Say::Greeting => "مرحباً! كيف يمكنني مساعدتك؟".into(),
        Say::Welcome => "على الرحب والسعة! هل هناك شيء آخر يمكنني مساعدتك به؟".into(),
        Say::Acknowledge => "👍 أنا هنا إذا احتجت أي شيء.".into(),
        Say::AskService => "بكل سرور! ما الخدمة التي تريد حجزها؟".into(),
        Say::AskTime { service } => format!("ممتاز. ما اليوم والوقت المناسبان لك لـ {service}؟"),
        Say::AskName => "باسم من أسجل الحجز؟".into(),
        Say::AskPhone => "وما رقم الهاتف للتواصل معك؟".into(),
        Say::AskNameAndPhone => "ما الاسم ورقم الهاتف لتسجيل الحجز؟".into(),
        Say::BookingRecorded { service, when, name } => format!(
            "شكراً{}! طلبت من الفريق حجز {service}{}، وسيؤكدون لك هنا قريباً.",
            opt(" ", *name, ""),
            opt(" في ", *when, "")
        ),
        Say::ChangeRecorded { cancel } => {
            format!("أرسلت طلب {} إلى الفريق، وسيؤكدون لك هنا قريباً.", if *cancel { "الإلغاء" } else { "تغيير الموعد" })
        }
        Say::Closed { day } => format!("نحن مغلقون يوم {day}."),
        Say::ClosedPickAnother { day } => format!("نحن مغلقون يوم {day}. ما اليوم الآخر المناسب لك؟"),
        Say::OpenOn { day, hours } => format!("يوم {day} نفتح {hours}."),
        Say::Hours { lines } => format!("مواعيد العمل: {lines}."),
        Say::Price { service, price, duration } => {
            format!("{service}: {price}{}. هل تريد الحجز؟", opt(" (", *duration, ")"))
        }
        Say::HandOver => "بالتأكيد — سأحولك إلى أحد أعضاء الفريق، وسيرد عليك هنا قريباً.".into(),
        Say::Urgent => {
            "يؤسفني سماع ذلك. أبلغت أحد أعضاء الفريق فوراً. إذا كانت حالة طارئة، اتصل برقم الطوارئ المحلي.".into()
        }
        Say::Apology => "نعتذر عن ذلك. سأحولك فوراً إلى أحد أعضاء الفريق.".into(),
        Say::Hold => "سؤال جيد — سأتحقق من الفريق وأرد عليك هنا.".into(),
        Say::NotSure => "أريد أن أعطيك الإجابة الصحيحة، لذلك سأطلب من أحد أعضاء الفريق الرد عليك.".into(),
        Say::WillConfirm => "سيؤكد لك الفريق التفاصيل الدقيقة هنا قريباً.".into(),
        Say::CallBack => "أرسلت رقمك إلى الفريق، وسيتواصلون معك.".into(),
    }
}

/// A polite hand-over for a visitor writing in a language the agent does not speak
/// (ISO 639-3 code from detection); English where none is written here.
pub fn cannot_serve(code: &str) -> &'static str {
    match code {
        "deu" => "Danke für Ihre Nachricht! Ein Teammitglied meldet sich hier in Kürze bei Ihnen.",
        "ita" => "Grazie per il messaggio! Un membro del team le risponderà qui a breve.",
        "nld" => "Bedankt voor uw bericht! Een teamlid antwoordt hier zo snel mogelijk.",
        "rus" => "Спасибо за сообщение! Сотрудник ответит вам здесь в ближайшее время.",
        "tur" => "Mesajınız için teşekkürler! Ekibimizden biri kısa süre içinde burada yanıt verecek.",
        "jpn" => "メッセージありがとうございます。担当者がまもなくこちらでご返信します。",
        "kor" => "메시지 감사합니다. 담당자가 곧 여기에서 답변드리겠습니다.",
        "hin" => "आपके संदेश के लिए धन्यवाद! हमारी टीम का कोई सदस्य जल्द ही यहाँ जवाब देगा।",
        "vie" => "Cảm ơn bạn đã nhắn tin! Nhân viên của chúng tôi sẽ trả lời tại đây sớm.",
        "tha" => "ขอบคุณสำหรับข้อความ! ทีมงานจะตอบกลับที่นี่เร็ว ๆ นี้",
        "pol" => "Dziękujemy za wiadomość! Ktoś z zespołu wkrótce odpowie tutaj.",
        _ => "Thank you for your message! A teammate will reply here shortly.",
    }
}
