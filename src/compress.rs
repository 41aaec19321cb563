//! Gzip and zstd streams chosen by file extension (`.gz`, `.zst`), for JSONL input and output.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::Path;

/// Compression of a file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn of(path: &Path) -> Self {
        match path.extension().and_then(|e| e.to_str()) {
            Some("gz") | Some("gzip") => Compression::Gzip,
            Some("zst") | Some("zstd") => Compression::Zstd,
            _ => Compression::None,
        }
    }
}

/// Opens `path` for reading, decompressing by extension.
pub fn open_reader(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    decompressing(File::open(path)?, Compression::of(path))
}

/// `input`, decompressed as `compression` says.
pub fn decompressing(
    input: impl io::Read + Send + 'static,
    compression: Compression,
) -> io::Result<Box<dyn BufRead + Send>> {
    Ok(match compression {
        Compression::None => Box::new(BufReader::with_capacity(1 << 20, input)),
        Compression::Gzip => Box::new(BufReader::with_capacity(1 << 20, flate2::read::MultiGzDecoder::new(input))),
        Compression::Zstd => Box::new(BufReader::with_capacity(1 << 20, zstd::Decoder::new(input)?)),
    })
}

/// A writer that compresses as its target's extension asks; `finish` writes the trailer.
pub enum CompressedWriter<W: Write> {
    Plain(W),
    Gzip(flate2::write::GzEncoder<W>),
    Zstd(zstd::Encoder<'static, W>),
}

impl<W: Write> CompressedWriter<W> {
    pub fn new(inner: W, compression: Compression) -> io::Result<Self> {
        Ok(match compression {
            Compression::None => CompressedWriter::Plain(inner),
            Compression::Gzip => {
                CompressedWriter::Gzip(flate2::write::GzEncoder::new(inner, flate2::Compression::default()))
            }
            Compression::Zstd => CompressedWriter::Zstd(zstd::Encoder::new(inner, 3)?),
        })
    }

    /// Completes the stream and returns the inner writer.
    pub fn finish(self) -> io::Result<W> {
        match self {
            CompressedWriter::Plain(w) => Ok(w),
            CompressedWriter::Gzip(e) => e.finish(),
            CompressedWriter::Zstd(e) => e.finish(),
        }
    }
}

impl<W: Write> Write for CompressedWriter<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            CompressedWriter::Plain(w) => w.write(buf),
            CompressedWriter::Gzip(e) => e.write(buf),
            CompressedWriter::Zstd(e) => e.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            CompressedWriter::Plain(w) => w.flush(),
            CompressedWriter::Gzip(e) => e.flush(),
            CompressedWriter::Zstd(e) => e.flush(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn round_trip_by_extension() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["a.jsonl", "a.jsonl.gz", "a.jsonl.zst"] {
            let path = dir.path().join(name);
            let mut w = CompressedWriter::new(File::create(&path).unwrap(), Compression::of(&path)).unwrap();
            w.write_all(b"{\"text\":\"x\"}\n").unwrap();
            w.finish().unwrap();
            let mut back = String::new();
            open_reader(&path).unwrap().read_to_string(&mut back).unwrap();
            assert_eq!(back, "{\"text\":\"x\"}\n", "{name}");
        }
        assert_ne!(std::fs::read(dir.path().join("a.jsonl.gz")).unwrap(), b"{\"text\":\"x\"}\n");
    }
}
