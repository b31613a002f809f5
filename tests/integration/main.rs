//! Integration tests against the real control plane (tests/cluster): real
//! kube-apiserver, etcd and garbage collector, the plugin run through
//! kubectl's own plugin discovery.

mod activation;
mod agent;
mod common;
mod controller;
mod describe;
mod ensemble;
mod faults;
mod fidelity;
mod krew;
mod list;
mod node;
mod parity;
mod parity_ensemble;
mod pause;
mod refusals;
mod render_diff;
mod restarts;
mod runs;
mod security;
mod status;
mod testenv;
mod tree;
mod upgrade;
