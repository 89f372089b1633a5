//! The descriptor table checked against `docs/reference.md`.
//!
//! Source: Gladman DD, Ibañez D, Urowitz MB. J Rheumatol 2002;29:288-91
//! (SLEDAI-2K), as transcribed in `docs/reference.md` section 1.2. The
//! identifiers, weights and organ systems below are typed in from that table,
//! not read from the crate.

use sledai::{Descriptor, OrganSystem, Score};

/// (form position, identifier, weight, organ system id): `docs/reference.md` section 1.2.
const REFERENCE_TABLE: [(u8, &str, u8, &str); 24] = [
    (1, "seizure", 8, "cns"),
    (2, "psychosis", 8, "cns"),
    (3, "organic_brain_syndrome", 8, "cns"),
    (4, "visual_disturbance", 8, "cns"),
    (5, "cranial_nerve_disorder", 8, "cns"),
    (6, "lupus_headache", 8, "cns"),
    (7, "cva", 8, "cns"),
    (8, "vasculitis", 8, "vascular"),
    (9, "arthritis", 4, "musculoskeletal"),
    (10, "myositis", 4, "musculoskeletal"),
    (11, "urinary_casts", 4, "renal"),
    (12, "hematuria", 4, "renal"),
    (13, "proteinuria", 4, "renal"),
    (14, "pyuria", 4, "renal"),
    (15, "rash", 2, "mucocutaneous"),
    (16, "alopecia", 2, "mucocutaneous"),
    (17, "mucosal_ulcers", 2, "mucocutaneous"),
    (18, "pleurisy", 2, "serosal"),
    (19, "pericarditis", 2, "serosal"),
    (20, "low_complement", 2, "immunologic"),
    (21, "increased_dna_binding", 2, "immunologic"),
    (22, "fever", 1, "constitutional"),
    (23, "thrombocytopenia", 1, "hematologic"),
    (24, "leukopenia", 1, "hematologic"),
];

#[test]
fn identifiers_weights_and_systems_match_reference_section_1_2() {
    assert_eq!(Descriptor::ALL.len(), REFERENCE_TABLE.len());
    for (d, &(pos, id, weight, system)) in Descriptor::ALL.iter().zip(&REFERENCE_TABLE) {
        assert_eq!(d.position(), pos, "{id}");
        assert_eq!(d.id(), id);
        assert_eq!(d.weight(), weight, "{id}");
        assert_eq!(d.organ_system().id(), system, "{id}");
        assert_eq!(id.parse::<Descriptor>(), Ok(*d));
        assert_eq!(d.to_string(), id);
    }
}

/// `docs/reference.md` section 1.1: 8x8 + 6x4 + 7x2 + 3x1 = 105.
#[test]
fn weight_counts_match_reference_section_1_1() {
    let count = |w: u8| Descriptor::ALL.iter().filter(|d| d.weight() == w).count();
    assert_eq!((count(8), count(4), count(2), count(1)), (8, 6, 7, 3));
    assert_eq!(Score::MAX.get(), 8 * 8 + 6 * 4 + 7 * 2 + 3);
}

/// `docs/reference.md` section 8: the weights public implementations got wrong.
#[test]
fn known_public_implementation_pitfalls() {
    assert_eq!(Descriptor::Pyuria.weight(), 4, "pyuria is 4, not 2");
    assert_eq!(Descriptor::Vasculitis.weight(), 8, "vasculitis is 8, not 4");
    assert_eq!(
        Descriptor::LupusHeadache.weight(),
        8,
        "lupus headache is 8, not 1"
    );
    assert_eq!(Descriptor::Pleurisy.weight(), 2, "serositis is 2, not 4");
    assert_eq!(
        Descriptor::Pericarditis.weight(),
        2,
        "serositis is 2, not 4"
    );
}

/// `docs/reference.md` section 1.4: clinical SLEDAI leaves out exactly the two serology items.
#[test]
fn serology_descriptors_are_low_complement_and_dna_binding() {
    let serology: Vec<&str> = Descriptor::ALL
        .iter()
        .filter(|d| d.is_serology())
        .map(|d| d.id())
        .collect();
    assert_eq!(serology, ["low_complement", "increased_dna_binding"]);
    assert_eq!(Score::CLINICAL_MAX.get(), 105 - 2 - 2);
}

/// `docs/reference.md` section 1.2: thresholds printed on the form are strict.
#[test]
fn numeric_thresholds_are_strict_inequalities() {
    let expect = [
        ("hematuria", "> 5 RBC/hpf"),
        ("pyuria", "> 5 WBC/hpf"),
        ("proteinuria", "> 0.5 g/24 h"),
        ("fever", "> 38.0 °C"),
        ("thrombocytopenia", "< 100 x 10^9/L"),
        ("leukopenia", "< 3.0 x 10^9/L"),
    ];
    for (id, text) in expect {
        let d: Descriptor = id.parse().expect("reference identifier");
        assert_eq!(d.threshold(), Some(text));
    }
}

#[test]
fn organ_system_ids_round_trip() {
    for s in OrganSystem::ALL {
        assert_eq!(s.id().parse::<OrganSystem>(), Ok(s));
    }
    assert!("kidney".parse::<OrganSystem>().is_err());
}

#[test]
fn public_types_are_send_sync_and_small() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<sledai::Error>();
    assert_send_sync::<sledai::Assessment>();
    assert_send_sync::<Descriptor>();
    assert_send_sync::<Score>();
    assert_send_sync::<sledai::Date>();
    assert_send_sync::<sledai::Pga>();
    assert_eq!(size_of::<sledai::Assessment>(), 8);
    assert_eq!(size_of::<Score>(), 1);
    assert_eq!(size_of::<Option<Score>>(), 2);
}
