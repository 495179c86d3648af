//! Every excerpt in the notes appears word for word in the file it names.
//! When this fails, copy the current code from the file into the notes.

use std::path::{Path, PathBuf};

/// A fenced code block in a notes file.
struct Block {
    notes: PathBuf,
    line: usize,
    info: String,
    lines: Vec<String>,
}

fn repository_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn notes_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(repository_root().join("notes"))
        .expect("the notes/ folder")
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "md"))
        .collect();
    files.sort();
    files
}

fn code_blocks(notes: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(notes).unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    for (index, line) in text.lines().enumerate() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => {
                current = Some(Block {
                    notes: notes.to_owned(),
                    line: index + 1,
                    info: info.trim().to_owned(),
                    lines: Vec::new(),
                })
            }
            (Some(_), Some("")) => blocks.push(current.take().unwrap()),
            (Some(block), _) => block.lines.push(line.to_owned()),
            (None, None) => {}
        }
    }
    assert!(
        current.is_none(),
        "{}: a code block is never closed",
        notes.display()
    );
    blocks
}

/// The path named by an excerpt's first line, `// In path` or `# In path`.
fn excerpt_source(block: &Block) -> Option<&str> {
    let first = block.lines.first()?;
    first
        .strip_prefix("// In ")
        .or_else(|| first.strip_prefix("# In "))
        .map(str::trim)
}

#[test]
fn every_excerpt_matches_its_source_file() {
    let mut problems = Vec::new();
    let mut checked = 0;
    for notes in notes_files() {
        for block in code_blocks(&notes) {
            let place = format!("{}:{}", block.notes.display(), block.line);
            let Some(source) = excerpt_source(&block) else {
                if block.info.starts_with("rust") && block.info.contains("ignore") {
                    problems.push(format!(
                        "{place}: a `rust,ignore` block must be an excerpt starting with `// In <path>`"
                    ));
                }
                continue;
            };
            let Ok(file) = std::fs::read_to_string(repository_root().join(source)) else {
                problems.push(format!("{place}: no file {source}"));
                continue;
            };
            let excerpt = block.lines[1..].join("\n");
            if excerpt.trim().is_empty() {
                problems.push(format!("{place}: the excerpt is empty"));
            } else if !file.contains(excerpt.trim_matches('\n')) {
                problems.push(format!("{place}: this excerpt is no longer in {source}"));
            }
            checked += 1;
        }
    }
    assert!(problems.is_empty(), "\n{}\n", problems.join("\n"));
    assert!(
        checked > 0,
        "the notes should quote the solutions somewhere"
    );
}

#[test]
fn code_blocks_say_their_language() {
    let unlabelled: Vec<String> = notes_files()
        .iter()
        .flat_map(|notes| code_blocks(notes))
        .filter(|block| block.info.is_empty())
        .map(|block| format!("{}:{}", block.notes.display(), block.line))
        .collect();
    assert!(
        unlabelled.is_empty(),
        "label these blocks (rust, js, text, console, toml…): a bare ``` block \
         is compiled as Rust by rustdoc:\n{}",
        unlabelled.join("\n")
    );
}
