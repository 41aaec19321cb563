use std::time::Instant;
fn main() {
    let mut lines = Vec::new();
    for dir in std::fs::read_dir("/tmp/b/mid").unwrap() {
        for f in std::fs::read_dir(dir.unwrap().path()).unwrap() {
            let b = std::fs::read(f.unwrap().path()).unwrap();
            let t = String::from_utf8_lossy(&b).into_owned();
            lines.extend(t.lines().map(|l| l.to_string()));
        }
    }
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    let time = |name: &str, f: &dyn Fn(&str) -> bool| {
        let mut best = f64::MAX;
        let mut hits = 0;
        for _ in 0..5 {
            let t = Instant::now();
            hits = lines.iter().filter(|l| f(l)).count();
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("{name}: {:.2} ns/B, {hits} hits of {} lines", best * 1e9 / bytes as f64, lines.len());
    };
    for a in std::env::args().skip(1) {
        let screen = regex::Regex::new(&a).unwrap();
        time(&format!("screen {}", &a[..a.len().min(50)]), &|l| screen.is_match(l));
    }
}
