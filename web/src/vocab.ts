// Input vocabulary of the case and procedure formats (docs/case.schema.json,
// docs/procedure.schema.json): the allowed values of enumerated fields and how to print them.
// These are names only: which veins are proximal, which features count, every threshold and every
// decision live in the knowledge file and are computed by the server.

export type Option = [value: string, label: string];

export const VEINS: Option[] = [
  ['gastrocnemius_medial', 'Medial gastrocnemius'],
  ['gastrocnemius_lateral', 'Lateral gastrocnemius'],
  ['soleal', 'Soleal'],
  ['posterior_tibial', 'Posterior tibial'],
  ['anterior_tibial', 'Anterior tibial'],
  ['peroneal', 'Peroneal'],
  ['tibioperoneal_trunk', 'Tibioperoneal trunk'],
  ['popliteal', 'Popliteal'],
  ['femoral', 'Femoral'],
  ['deep_femoral', 'Deep femoral'],
  ['common_femoral', 'Common femoral'],
  ['external_iliac', 'External iliac'],
  ['common_iliac', 'Common iliac'],
  ['inferior_vena_cava', 'Inferior vena cava'],
  ['great_saphenous', 'Great saphenous (superficial)'],
  ['small_saphenous', 'Small saphenous (superficial)'],
];

export const PROTOCOLS: Option[] = [
  ['whole_leg_duplex', 'Whole-leg duplex (inguinal ligament to ankle)'],
  ['proximal_compression_2point', 'Proximal compression, 2-point'],
  ['proximal_compression_3point', 'Proximal compression, 3-point'],
];
export const SIDES: Option[] = [['left', 'Left'], ['right', 'Right'], ['bilateral', 'Bilateral']];
export const LEG: Option[] = [['left', 'Left'], ['right', 'Right']];
export const SEX: Option[] = [['female', 'Female'], ['male', 'Male'], ['other', 'Other'], ['unknown', 'Not stated']];
export const PREGNANCY: Option[] = [['none', 'Not pregnant'], ['pregnant', 'Pregnant'], ['postpartum', 'Postpartum']];
export const PROVOCATION: Option[] = [['unprovoked', 'Unprovoked'], ['transient', 'Transient (reversible) factor'], ['persistent', 'Persistent factor']];
export const DDIMER_RESULT: Option[] = [['positive', 'Positive'], ['negative', 'Negative']];
export const BLEEDING_RISK: Option[] = [['low', 'Low'], ['moderate', 'Moderate'], ['high', 'High']];
export const PREFERENCE: Option[] = [['no_preference', 'No preference'], ['avoid', 'Prefers to avoid anticoagulation'], ['prefer', 'Prefers anticoagulation']];

export const BLEEDING_FACTORS: Option[] = [
  ['age_over_65', 'Age over 65'], ['age_over_75', 'Age over 75'], ['previous_bleeding', 'Previous bleeding'],
  ['cancer', 'Cancer'], ['metastatic_cancer', 'Metastatic cancer'], ['renal_failure', 'Renal failure'],
  ['liver_failure', 'Liver failure'], ['thrombocytopenia', 'Thrombocytopenia'], ['previous_stroke', 'Previous stroke'],
  ['diabetes', 'Diabetes'], ['anemia', 'Anaemia'], ['antiplatelet_therapy', 'Antiplatelet therapy'],
  ['poor_anticoagulant_control', 'Poor anticoagulant control'], ['comorbidity_reduced_function', 'Comorbidity and reduced functional capacity'],
  ['recent_surgery', 'Recent surgery'], ['frequent_falls', 'Frequent falls'], ['alcohol_abuse', 'Alcohol abuse'],
];

export const SCAN_RESULTS: Option[] = [
  ['stable', 'Stable (no extension)'], ['resolved', 'Resolved'],
  ['extended_distal', 'Extended (distal)'], ['extended_proximal', 'Extended (proximal)'],
];
export const AGENTS: Option[] = [['doac', 'DOAC'], ['lmwh', 'LMWH'], ['vka', 'VKA'], ['oral_xa_inhibitor', 'Oral factor Xa inhibitor']];
export const IVC_FILTER: Option[] = [['temporary', 'Temporary'], ['permanent', 'Permanent'], ['none', 'None']];
export const COMPLICATIONS: Option[] = [
  ['pulmonary_embolism', 'Pulmonary embolism'], ['bleeding', 'Bleeding'], ['access_site_hematoma', 'Access-site haematoma'],
  ['vessel_injury', 'Vessel injury'], ['contrast_reaction', 'Contrast reaction'], ['acute_kidney_injury', 'Acute kidney injury'],
  ['death', 'Death'], ['other', 'Other'],
];

export const label = (opts: Option[], v: string | null | undefined) => opts.find((o) => o[0] === v)?.[1] ?? v ?? '';
export const veinLabel = (v: string) => label(VEINS, v);
// snake_case ids the server returns (strategies, phases, codes) made readable, verbatim otherwise.
export const humanize = (s: string | null | undefined) => (s ? s.replace(/_/g, ' ') : '');
