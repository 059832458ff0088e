// The document type codes (LOINC) the scripts file EHR records under: categories, never patient
// data, so they may stand on chain in a record's `type_code`.

/** LOINC 11488-4 "Consult note": the EHR flow's document and the throughput harness's records. */
export const CONSULT_NOTE = '11488-4';

/** LOINC 11526-1 "Pathology study": the diagnosis record a mutual-aid claimant cites as evidence. */
export const PATHOLOGY_STUDY = '11526-1';
