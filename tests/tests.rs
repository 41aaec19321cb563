//! Integration tests: one binary, modules by area (as ripgrep does).

mod util;

mod accuracy;
mod cli;
mod encodings;
mod html;
mod inspect;
mod layers;
mod properties;
mod python;
mod robustness;
mod seeds;
mod spark;
