//! Output files: written under a temporary name and renamed into place, removed if a signal
//! ends the run, and the error log of failed inputs.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context, Result};

use boilerstrip::compress::{CompressedWriter, Compression};
use boilerstrip::input::OWN_FILE_PREFIX;
use boilerstrip::InputError;

/// 128 + SIGINT, as shells report a process ended by Ctrl-C.
const EXIT_INTERRUPTED: u8 = 130;

/// Temporary files of this run, removed by the signal handler: Ctrl-C or SIGTERM ends the run
/// at once, leaving every output file as it was before the run and no litter beside it.
static TEMPORARY_FILES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

pub fn remove_temporary_files_on_signal() {
    let handler = || {
        if let Ok(paths) = TEMPORARY_FILES.lock() {
            for path in paths.iter() {
                let _ = std::fs::remove_file(path);
            }
        }
        eprintln!("boilerstrip: interrupted; no output file was changed");
        std::process::exit(EXIT_INTERRUPTED.into());
    };
    // Without a handler the default action still ends the process; only the cleanup is lost.
    let _ = ctrlc::set_handler(handler);
}

/// Runs `write` on the command's output: `-o FILE`, written under a temporary name, compressed
/// as its extension says (`.gz`, `.zst`) and renamed into place once `write` succeeds; or stdout.
/// When `wrote_nothing` says so of what `write` returned (every input missing or refused), an
/// existing FILE is left as it was: a mistyped folder must not empty an earlier result.
pub fn with_output<T>(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
    wrote_nothing: impl FnOnce(&T) -> bool,
) -> Result<T> {
    match path {
        Some(path) => {
            let mut file = AtomicFile::create(path)?;
            let mut out = CompressedWriter::new(&mut file.writer, Compression::of(path))?;
            let value = write(&mut out)?;
            out.finish()?.flush()?;
            if wrote_nothing(&value) && file.replaces_a_file() {
                eprintln!("boilerstrip: nothing was cleaned; {} is left as it was", path.display());
            } else {
                file.commit()?;
            }
            Ok(value)
        }
        None => {
            let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
            let value = write(&mut out)?;
            out.flush()?;
            Ok(value)
        }
    }
}

/// Failed inputs: a line on stderr each, and a JSON record each in `--errors FILE`.
pub struct ErrorLog {
    file: Option<AtomicFile>,
}

impl ErrorLog {
    pub fn create(path: Option<&Path>) -> Result<Self> {
        Ok(Self { file: path.map(AtomicFile::create).transpose()? })
    }

    pub fn report(&mut self, source: &str, err: &InputError) {
        eprintln!("boilerstrip: {source}: {err}");
        if let Some(file) = self.file.as_mut() {
            let record = serde_json::json!({"source": source, "kind": err.kind(), "error": err.to_string()});
            // A failure to log an error must not hide the error itself, which is on stderr.
            let _ = writeln!(file.writer, "{record}");
        }
    }

    pub fn commit(self) -> Result<()> {
        self.file.map_or(Ok(()), AtomicFile::commit)
    }
}

/// A file written under a temporary name in the same folder and renamed into place on
/// `commit`: readers never see a half-written file, and an interrupted run leaves any earlier
/// file of that name untouched. A symlink is written through (its target is replaced, the link
/// stays), a replaced file keeps its permissions, and an output that is no regular file (a FIFO,
/// `/dev/null`, `/dev/stdout`) is written straight into, never replaced.
pub struct AtomicFile {
    path: PathBuf,
    pub writer: BufWriter<Target>,
    /// Held until the file is committed or dropped; `None` for outputs written straight into.
    _lock: Option<OutputLock>,
}

/// Where an output's bytes go until `commit`.
pub enum Target {
    Temporary(tempfile::NamedTempFile),
    /// The output itself, which is no regular file.
    Direct(std::fs::File),
}

impl Write for Target {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Target::Temporary(file) => file.write(buf),
            Target::Direct(file) => file.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Target::Temporary(file) => file.flush(),
            Target::Direct(file) => file.flush(),
        }
    }
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<Self> {
        let path = through_symlinks(path);
        let existing = std::fs::metadata(&path).ok();
        if existing.as_ref().is_some_and(|meta| !meta.is_file() && !meta.is_dir()) {
            let file = std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            return Ok(Self { path, writer: BufWriter::with_capacity(1 << 16, Target::Direct(file)), _lock: None });
        }
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let lock = OutputLock::take(&dir, &path)?;
        remove_leftovers_of_killed_runs(&dir);
        let mut builder = tempfile::Builder::new();
        // The process id in the name tells a later run whether the writer is still alive.
        let prefix = format!("{OWN_FILE_PREFIX}{}-", std::process::id());
        builder.prefix(&prefix).suffix(".tmp");
        match existing {
            // The file it replaces says who may read it.
            Some(meta) => {
                builder.permissions(meta.permissions());
            }
            // A temporary file is private (0600) by default; a new output is an ordinary file.
            None => {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    builder.permissions(std::fs::Permissions::from_mode(0o644));
                }
            }
        }
        // Created and registered under the lock the signal handler takes, so a signal cannot
        // fall between the two and leave an unregistered file behind.
        let mut registered = TEMPORARY_FILES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let temp = builder.tempfile_in(&dir).with_context(|| format!("cannot create a file in {}", dir.display()))?;
        registered.push(temp.path().to_path_buf());
        drop(registered);
        Ok(Self { path, writer: BufWriter::with_capacity(1 << 16, Target::Temporary(temp)), _lock: Some(lock) })
    }

    /// Whether committing would replace a file that is there now.
    pub fn replaces_a_file(&self) -> bool {
        matches!(self.writer.get_ref(), Target::Temporary(_)) && self.path.exists()
    }

    pub fn commit(self) -> Result<()> {
        let target = self
            .writer
            .into_inner()
            .map_err(|e| e.into_error())
            .with_context(|| format!("writing {}", self.path.display()))?;
        match target {
            Target::Temporary(temp) => {
                temp.as_file().sync_all().ok();
                temp.persist(&self.path)
                    .map_err(|e| e.error)
                    .with_context(|| format!("cannot write {}", self.path.display()))?;
            }
            Target::Direct(mut file) => file.flush().with_context(|| format!("writing {}", self.path.display()))?,
        }
        Ok(())
    }
}

/// An advisory lock on an output path, so that a second run writing the same file at the same
/// time stops with a message instead of one result silently replacing the other. It is held on
/// a file beside the output, `.boilerstrip-<name>.lock`, removed when the lock is released.
struct OutputLock {
    path: PathBuf,
    _file: std::fs::File,
}

impl OutputLock {
    fn take(dir: &Path, output: &Path) -> Result<OutputLock> {
        let name = output.file_name().map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let path = dir.join(format!("{OWN_FILE_PREFIX}{name}.lock"));
        loop {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .truncate(false)
                .write(true)
                .open(&path)
                .with_context(|| format!("cannot create a file in {}", dir.display()))?;
            match file.try_lock() {
                Ok(()) => {}
                Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                    "{}: another boilerstrip run is writing it (it holds {})",
                    output.display(),
                    path.display()
                ),
                // A file system without locks: write unlocked, as before locks existed.
                Err(std::fs::TryLockError::Error(_)) => {}
            }
            // The run before may have removed the lock file between our opening and locking it;
            // a lock on a removed file guards nothing, so take the one now at the path.
            if is_at_path(&file, &path) {
                register_temporary(&path);
                return Ok(OutputLock { path, _file: file });
            }
        }
    }
}

impl Drop for OutputLock {
    fn drop(&mut self) {
        // Removed before the lock is released (with the file, right after): whoever waits on
        // this file then finds it gone and takes a new one.
        let _ = std::fs::remove_file(&self.path);
        if let Ok(mut registered) = TEMPORARY_FILES.lock() {
            registered.retain(|p| p != &self.path);
        }
    }
}

#[cfg(unix)]
fn is_at_path(file: &std::fs::File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), std::fs::metadata(path)) {
        (Ok(open), Ok(named)) => open.dev() == named.dev() && open.ino() == named.ino(),
        _ => false,
    }
}

#[cfg(not(unix))]
fn is_at_path(_: &std::fs::File, path: &Path) -> bool {
    path.exists()
}

fn register_temporary(path: &Path) {
    let mut registered = TEMPORARY_FILES.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    registered.push(path.to_path_buf());
}

/// Removes the temporary outputs that runs killed outright (SIGKILL, a power cut) left in `dir`:
/// `.boilerstrip-<pid>-*.tmp` whose process is gone. Where a process's life cannot be told (no
/// `/proc`), nothing is removed; the walker never reads such files as pages anyway.
fn remove_leftovers_of_killed_runs(dir: &Path) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = name.strip_prefix(OWN_FILE_PREFIX).filter(|_| name.ends_with(".tmp")) else { continue };
        let Some(pid) = rest.split('-').next().and_then(|pid| pid.parse::<u32>().ok()) else { continue };
        let gone = pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists();
        if gone && std::fs::remove_file(entry.path()).is_ok() {
            eprintln!("boilerstrip: removed {}, left by a run that was killed", entry.path().display());
        }
    }
}

/// What `path` names once its symlinks are followed (itself when it is none, or when a link is
/// broken: a new file is then created where the link points).
fn through_symlinks(path: &Path) -> PathBuf {
    let mut path = path.to_path_buf();
    // As the kernel does, give up on a loop after 40 links.
    for _ in 0..40 {
        let Ok(target) = std::fs::read_link(&path) else { break };
        path = match path.parent() {
            Some(dir) if target.is_relative() => dir.join(target),
            _ => target,
        };
    }
    path
}
