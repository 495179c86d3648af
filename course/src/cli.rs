//! The command line: every subcommand and its arguments, parsed by clap.
//!
//! A lesson is named by its number (`01` or `1`), its folder name
//! (`01-raw-routing`) or its topic (`raw-routing`); see [`crate::course::Course::find`].

use clap::{Parser, Subcommand};

use crate::bench::BenchArgs;

/// The course runner: where you are, what to do next, and the tools to get there.
#[derive(Debug, Parser)]
#[command(
    name = "cargo course",
    bin_name = "cargo course",
    version,
    after_help = "Run it from the course folder. Without a command it shows your progress.\n\n\
                  Exit status: 0 when all went well, 1 when tests fail or a check finds a \
                  problem, 2 for a mistake in the command (unknown lesson, outside the course)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show every lesson with its state, and the next step (the default).
    Status {
        /// Print the progress as JSON, for scripts.
        #[arg(long)]
        json: bool,
    },
    /// Run a lesson's tests against your exercise (default: the current lesson),
    /// failures in the order of the TODOs they are about.
    Verify {
        /// Lesson number, such as 01.
        lesson: Option<String>,
    },
    /// Verify again on every save in the lesson's folder, until Ctrl-C.
    Watch {
        /// Lesson number; without it, follow the current lesson from one to the next.
        lesson: Option<String>,
    },
    /// Show the next hint for the TODO you are on: weakest first, its answer last.
    Hint {
        /// Lesson number (default: the current lesson).
        lesson: Option<String>,
        /// Show again every hint (and answer) you have already seen for this lesson.
        #[arg(long)]
        all: bool,
    },
    /// Put the exercise back as it was in the last commit (asks first), keeping
    /// a copy of your files in .course/backups/.
    Reset {
        /// Lesson number, such as 01.
        lesson: String,
        /// Do not ask: reset at once.
        #[arg(long, short)]
        yes: bool,
        /// Bring back the files the last reset replaced (keeping a copy of the
        /// current ones in turn).
        #[arg(long)]
        undo: bool,
    },
    /// Show how your exercise differs from the reference solution (spoilers!).
    Solution {
        /// Lesson number, such as 01.
        lesson: String,
        /// Do not ask before showing it.
        #[arg(long, short)]
        yes: bool,
    },
    /// Run the lesson's server, with a MongoDB when it needs one.
    Run {
        /// Lesson number, such as 01.
        lesson: String,
        /// Run the reference solution instead of your exercise.
        #[arg(long)]
        solution: bool,
    },
    /// Check this machine is ready for class, with the fix for each problem.
    Doctor,
    /// Get ready to work offline: fetch and build every dependency, get MongoDB ready
    /// (pull its image in Docker, or build FerretDB with Go).
    Prepare,
    /// For maintainers: every exercise compiles without warnings and fails its tests,
    /// every solution passes them.
    Check {
        /// Lesson numbers (default: every lesson).
        lessons: Vec<String>,
    },
    /// Load-test the lesson 03 solution against the notes' Express app, side by side
    /// (needs Node.js, npm and wrk).
    Bench(BenchArgs),
    /// Build the notes as a book (needs mdBook) and print the page to open.
    Book,
    /// The live classroom board: a teacher serves it, learners join it.
    Classroom {
        #[command(subcommand)]
        action: crate::commands::classroom::Action,
    },
    /// The MongoDB the course starts: in Docker, or FerretDB built with Go.
    Mongo {
        #[command(subcommand)]
        action: MongoAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum MongoAction {
    /// Show the course's MongoDB, if one runs, and the way the tests would get one.
    Status,
    /// Find or start the course's MongoDB (Docker, else FerretDB) and print its URI.
    Start,
    /// Stop whichever MongoDB the course started, and remove its containers.
    Stop,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;
    use clap::error::ErrorKind;

    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("cargo course").chain(args.iter().copied()))
    }

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn no_command_means_status() {
        assert!(parse(&[]).unwrap().command.is_none());
    }

    #[test]
    fn verify_takes_an_optional_lesson() {
        match parse(&["verify", "01"]).unwrap().command {
            Some(Command::Verify { lesson }) => assert_eq!(lesson.as_deref(), Some("01")),
            other => panic!("expected verify, got {other:?}"),
        }
        assert!(matches!(
            parse(&["verify"]).unwrap().command,
            Some(Command::Verify { lesson: None })
        ));
    }

    #[test]
    fn run_takes_a_lesson_and_a_solution_flag() {
        match parse(&["run", "06", "--solution"]).unwrap().command {
            Some(Command::Run { lesson, solution }) => {
                assert_eq!(lesson, "06");
                assert!(solution);
            }
            other => panic!("expected run, got {other:?}"),
        }
    }

    #[test]
    fn reset_without_a_lesson_is_an_error() {
        let error = parse(&["reset"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::MissingRequiredArgument);
    }

    #[test]
    fn reset_can_undo() {
        assert!(matches!(
            parse(&["reset", "01", "--undo"]).unwrap().command,
            Some(Command::Reset {
                undo: true,
                yes: false,
                ..
            })
        ));
        assert!(matches!(
            parse(&["reset", "01", "--yes"]).unwrap().command,
            Some(Command::Reset {
                undo: false,
                yes: true,
                ..
            })
        ));
    }

    #[test]
    fn an_unknown_command_is_an_error_with_exit_status_2() {
        let error = parse(&["frobnicate"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidSubcommand);
        assert_eq!(error.exit_code(), 2);
    }

    #[test]
    fn an_unknown_flag_is_an_error() {
        let error = parse(&["verify", "01", "--fast"]).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::UnknownArgument);
    }

    #[test]
    fn check_takes_any_number_of_lessons() {
        match parse(&["check", "01", "03"]).unwrap().command {
            Some(Command::Check { lessons }) => assert_eq!(lessons, ["01", "03"]),
            other => panic!("expected check, got {other:?}"),
        }
    }

    #[test]
    fn bench_has_a_short_default_and_a_smoke_mode() {
        match parse(&["bench"]).unwrap().command {
            Some(Command::Bench(arguments)) => {
                assert_eq!((arguments.duration, arguments.connections), (10, 50));
                assert!(!arguments.smoke && !arguments.database);
            }
            other => panic!("expected bench, got {other:?}"),
        }
        assert!(matches!(
            parse(&["bench", "--smoke", "--database", "--duration", "3"])
                .unwrap()
                .command,
            Some(Command::Bench(BenchArgs {
                duration: 3,
                smoke: true,
                database: true,
                ..
            }))
        ));
    }

    #[test]
    fn mongo_needs_an_action() {
        assert!(parse(&["mongo"]).is_err());
        assert!(matches!(
            parse(&["mongo", "stop"]).unwrap().command,
            Some(Command::Mongo {
                action: MongoAction::Stop
            })
        ));
        assert!(matches!(
            parse(&["mongo", "status"]).unwrap().command,
            Some(Command::Mongo {
                action: MongoAction::Status
            })
        ));
    }
}
