"""The paper's experiments and this project's evaluations, built on the library (`koopman_repr.data`, `base_nets`,
`koopman_ae`, `topology`, `unlearning`, `examples`), which never imports this package: `experiments` (the paper's
networks, surrogates, topology and unlearning runs and their presets), `zoo` (the model zoo), `unlearning_eval` (the
unlearning evaluation), `claims` (the claims the results support) and `cli` (the `koopman-repr` command)."""
