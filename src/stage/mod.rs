//! The stages a page goes through, in order. Each is a plain function over text or lines.

pub mod classify;
pub mod decode;
pub mod features;
pub mod html;
pub mod language;
pub mod metadata;
pub mod model;
pub mod normalize;
pub mod scan;
pub mod segment;
