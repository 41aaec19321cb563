//! Deterministic corpus generator for benchmarks: pages in the style of `seeds/` (a header with
//! menus and breadcrumbs, a title, a byline, article paragraphs, then "Read also" and headline
//! lists with timestamps and counters) in English, Russian and Kazakh; 5% saved as windows-1251
//! or KOI8-R; some very long lines; some tiny pages.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- --pages 20000 --seed 1 --dir corpus/ --jsonl corpus.jsonl
//! ```
//! The same arguments give the same bytes on every machine.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;

/// A small xorshift generator: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

struct Language {
    code: &'static str,
    nav: &'static [&'static str],
    read_also: &'static str,
    popular: &'static str,
    words: &'static [&'static str],
    subjects: &'static [&'static str],
}

const EN: Language = Language {
    code: "en",
    nav: &["Main Page >", "News >", "Politics", "Home", "Search", "Sign in", "Subscribe", "World", "Business"],
    read_also: "Read also",
    popular: "Popular",
    words: &[
        "the",
        "delegation",
        "held",
        "talks",
        "with",
        "partners",
        "on",
        "cooperation",
        "in",
        "space",
        "industry",
        "and",
        "agreed",
        "to",
        "continue",
        "the",
        "project",
        "next",
        "year",
        "ministry",
        "said",
        "that",
        "a",
        "new",
        "complex",
        "will",
        "be",
        "built",
        "near",
        "city",
        "investment",
        "of",
        "development",
        "sides",
        "discussed",
        "infrastructure",
        "for",
        "residents",
        "according",
        "report",
        "officials",
        "government",
    ],
    subjects: &["The minister", "The delegation", "The company", "Officials", "The press service", "Experts"],
};

const RU: Language = Language {
    code: "ru",
    nav: &["Главная >", "Новости >", "Политика", "Войти", "Поиск", "Регистрация", "Подписаться", "Мир"],
    read_also: "Читайте также",
    popular: "Обсуждаемое",
    words: &[
        "делегация",
        "провела",
        "переговоры",
        "с",
        "партнерами",
        "о",
        "сотрудничестве",
        "в",
        "космической",
        "отрасли",
        "и",
        "договорилась",
        "продолжить",
        "проект",
        "в",
        "следующем",
        "году",
        "министерство",
        "сообщило",
        "что",
        "новый",
        "комплекс",
        "будет",
        "построен",
        "рядом",
        "с",
        "городом",
        "инвестиции",
        "развития",
        "стороны",
        "обсудили",
        "инфраструктуру",
        "для",
        "жителей",
        "по",
        "данным",
        "правительства",
    ],
    subjects: &["Министр", "Делегация", "Компания", "Представители", "Пресс-служба", "Эксперты"],
};

const KK: Language = Language {
    code: "kk",
    nav: &["Басты бет >", "Жаңалықтар >", "Саясат", "Кіру", "Іздеу", "Тіркелу", "Әлем"],
    read_also: "Тағы оқыңыз",
    popular: "Танымал",
    words: &[
        "делегация",
        "серіктестермен",
        "ғарыш",
        "саласындағы",
        "ынтымақтастық",
        "туралы",
        "келіссөздер",
        "жүргізді",
        "және",
        "жобаны",
        "келесі",
        "жылы",
        "жалғастыруға",
        "келісті",
        "министрлік",
        "жаңа",
        "кешен",
        "қала",
        "маңында",
        "салынады",
        "деп",
        "хабарлады",
        "инвестиция",
        "даму",
        "тараптар",
        "инфрақұрылымды",
        "талқылады",
        "тұрғындар",
        "үшін",
        "үкімет",
        "мәліметінше",
    ],
    subjects: &["Министр", "Делегация", "Компания", "Өкілдер", "Баспасөз қызметі", "Сарапшылар"],
};

fn sentence(rng: &mut Rng, lang: &Language, words: usize) -> String {
    let mut s = rng.pick(lang.subjects).to_string();
    for _ in 0..words {
        s.push(' ');
        s.push_str(rng.pick(lang.words));
    }
    s.push('.');
    s
}

fn headline(rng: &mut Rng, lang: &Language) -> String {
    let mut s = rng.pick(lang.subjects).to_string();
    for _ in 0..(4 + rng.below(6)) {
        s.push(' ');
        s.push_str(rng.pick(lang.words));
    }
    s
}

fn page(rng: &mut Rng, lang: &Language, tiny: bool, long_lines: bool) -> String {
    let mut page = String::new();
    if tiny {
        let _ = writeln!(page, "{}", sentence(rng, lang, 8));
        return page;
    }
    for _ in 0..(2 + rng.below(5)) {
        let _ = writeln!(page, "{}", rng.pick(lang.nav));
    }
    let title = headline(rng, lang);
    let byline = format!("{} {}", rng.pick(lang.subjects), rng.pick(lang.subjects));
    let (day, month, year, hour, minute) =
        (1 + rng.below(28), 1 + rng.below(12), 10 + rng.below(15), rng.below(24), rng.below(60));
    let _ = writeln!(page, "\n{title}\n\n{byline}\n{day:02}.{month:02}.20{year:02} {hour:02}:{minute:02}\n");
    for _ in 0..(3 + rng.below(10)) {
        let sentences = if long_lines { 200 } else { 2 + rng.below(4) };
        let paragraph: Vec<String> = (0..sentences)
            .map(|_| {
                let words = 8 + rng.below(16);
                sentence(rng, lang, words)
            })
            .collect();
        let _ = writeln!(page, "{}\n", paragraph.join(" "));
        if rng.below(6) == 0 {
            let _ = writeln!(page, "photo\n");
        }
    }
    let _ = writeln!(page, "{}\n{}", lang.read_also, lang.popular);
    for _ in 0..(5 + rng.below(15)) {
        let h = headline(rng, lang);
        let (day, month, hour, minute, views) =
            (1 + rng.below(28), 1 + rng.below(12), rng.below(24), rng.below(60), rng.below(20000));
        let _ = writeln!(page, "{h}\n  • {day:02}.{month:02} {hour:02}:{minute:02}\n  • {views}");
    }
    page
}

fn main() {
    let mut pages = 20_000usize;
    let mut seed = 1u64;
    let mut dir: Option<PathBuf> = None;
    let mut jsonl: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--pages" => pages = value().parse().expect("--pages N"),
            "--seed" => seed = value().parse().expect("--seed N"),
            "--dir" => dir = Some(PathBuf::from(value())),
            "--jsonl" => jsonl = Some(PathBuf::from(value())),
            other => panic!("unknown argument {other}; use --pages N --seed N --dir DIR --jsonl FILE"),
        }
    }
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut jsonl_out = jsonl.map(|p| {
        if let Some(parent) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).expect("create the --jsonl file's folder");
        }
        std::io::BufWriter::new(std::fs::File::create(p).expect("create --jsonl file"))
    });
    for i in 0..pages {
        let lang = [&EN, &RU, &KK][rng.below(3)];
        let tiny = rng.below(50) == 0;
        let long_lines = rng.below(100) == 0;
        let text = page(&mut rng, lang, tiny, long_lines);
        let legacy = lang.code == "ru" && rng.below(7) < 1; // about 5% of all pages
        if let Some(dir) = &dir {
            let path = dir.join(format!("{:02}", i % 64)).join(format!("{i:06}_{}.txt", lang.code));
            std::fs::create_dir_all(path.parent().unwrap()).expect("create --dir");
            let bytes = if legacy {
                let encoding = if rng.below(2) == 0 { encoding_rs::WINDOWS_1251 } else { encoding_rs::KOI8_R };
                encoding.encode(&text).0.into_owned()
            } else {
                text.clone().into_bytes()
            };
            std::fs::write(path, bytes).expect("write page");
        }
        if let Some(out) = jsonl_out.as_mut() {
            let record = serde_json::json!({"id": format!("{i:06}"), "lang_hint": lang.code, "text": text});
            writeln!(out, "{record}").expect("write --jsonl");
        }
    }
}
