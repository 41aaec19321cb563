//! Throughput of each stage and of the whole pipeline, in bytes per second, on the bundled seed
//! pages (real pages in English and Russian). `cargo bench`; `scripts/bench.sh` measures whole
//! runs against `cat` on a generated corpus.

use std::hint::black_box;

use boilerstrip::emit::{render, Format};
use boilerstrip::stage::{classify, decode, normalize, segment};
use boilerstrip::{Cleaner, Config, PatternsBuilder};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn seed_pages() -> Vec<Vec<u8>> {
    let mut paths: Vec<_> = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).unwrap()).collect()
}

fn stages(c: &mut Criterion) {
    let pages = seed_pages();
    let bytes: u64 = pages.iter().map(|p| p.len() as u64).sum();
    let cleaner = Cleaner::new(PatternsBuilder::defaults().build().unwrap(), Config::default());
    let texts: Vec<String> = pages.iter().map(|p| decode::decode(p, None).unwrap().text).collect();
    let normalized: Vec<String> = texts.iter().map(|t| normalize::normalize(t, normalize::Form::Nfc)).collect();
    let docs: Vec<_> = pages.iter().map(|p| cleaner.clean_bytes("id", "src", p).unwrap()).collect();

    let mut group = c.benchmark_group("stage");
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("decode", |b| {
        b.iter(|| pages.iter().map(|p| decode::decode(black_box(p), None).unwrap().text.len()).sum::<usize>())
    });
    group.bench_function("normalize", |b| {
        b.iter(|| texts.iter().map(|t| normalize::normalize(black_box(t), normalize::Form::Nfc).len()).sum::<usize>())
    });
    group.bench_function("classify", |b| {
        b.iter(|| {
            for text in &normalized {
                let (mut lines, _) = segment::segment(black_box(text));
                classify::classify(&mut lines, cleaner.patterns(), &cleaner.config().classify);
            }
        })
    });
    group.bench_function("emit", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for doc in &docs {
                render(black_box(doc), Format::Jsonl, false, &mut out).unwrap();
            }
            out.len()
        })
    });
    group.bench_function("pipeline", |b| {
        b.iter(|| {
            let mut out = Vec::new();
            for page in &pages {
                let doc = cleaner.clean_bytes("id", "src", black_box(page)).unwrap();
                render(&doc, Format::Jsonl, false, &mut out).unwrap();
            }
            out.len()
        })
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
