// Test identities and assurance levels of the development broker.
//
// Everything here is fictional test data. The ids are stable: tests and the
// README refer to them, so do not rename them.

export const LEVELS = {
  digid: [
    { acr: 'urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport', label: 'Basis' },
    { acr: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorContract', label: 'Midden' },
    { acr: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Smartcard', label: 'Substantieel' },
    { acr: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI', label: 'Hoog' },
  ],
  eherkenning: [
    { acr: 'urn:etoegang:core:assurance-class:loa2', label: 'EH2' },
    { acr: 'urn:etoegang:core:assurance-class:loa2plus', label: 'EH2+' },
    { acr: 'urn:etoegang:core:assurance-class:loa3', label: 'EH3' },
    { acr: 'urn:etoegang:core:assurance-class:loa4', label: 'EH4' },
  ],
  eidas: [
    { acr: 'http://eidas.europa.eu/LoA/low', label: 'Laag (low)' },
    { acr: 'http://eidas.europa.eu/LoA/substantial', label: 'Substantieel (substantial)' },
    { acr: 'http://eidas.europa.eu/LoA/high', label: 'Hoog (high)' },
  ],
};

export const METHODS = {
  digid: { label: 'DigiD' },
  eherkenning: { label: 'eHerkenning' },
  eidas: { label: 'eIDAS' },
};

// All BSNs/RSINs marked valid pass the elfproef; see elfproef() below.
export const IDENTITIES = [
  { id: 'digid-burger', method: 'digid', label: 'Burger, geldig BSN', bsn: '999993653' },
  { id: 'digid-eenmanszaak', method: 'digid', label: 'Eigenaar eenmanszaak', bsn: '999990019' },
  { id: 'digid-other', method: 'digid', label: 'Andere burger', bsn: '999991772' },
  { id: 'digid-invalid-bsn', method: 'digid', label: 'Ongeldig BSN (faalt elfproef)', bsn: '123456789' },
  { id: 'digid-missing-bsn', method: 'digid', label: 'Geen BSN-claim' },
  { id: 'digid-api-testpersoon', method: 'digid', label: 'API-testpersoon (mag niet inloggen)', bsn: '999990123' },

  { id: 'eh-company', method: 'eherkenning', label: 'Hele onderneming', kvk: '69599084', acting: 'acting-4f1c9a7e2b6d8035' },
  { id: 'eh-branch', method: 'eherkenning', label: 'Vestiging van onderneming', kvk: '69599084', vestiging: '000038509490', acting: 'acting-9b2e7d1a5c3f6048' },
  { id: 'eh-other-company', method: 'eherkenning', label: 'Andere onderneming', kvk: '68750110', acting: 'acting-2d8a6f4c1e9b7053' },
  { id: 'eh-rsin-only', method: 'eherkenning', label: 'Alleen RSIN (geen KvK-nummer)', rsin: '002564440', acting: 'acting-7c5b3e9f2a1d4086' },
  { id: 'eh-invalid-kvk', method: 'eherkenning', label: 'Ongeldig KvK-nummer', kvk: '1234', acting: 'acting-6e4d2b8c9f1a3057' },
  { id: 'eh-missing-kvk', method: 'eherkenning', label: 'Geen vertegenwoordigde partij', acting: 'acting-1a9f7c3e5b2d6084' },

  {
    id: 'eidas-person',
    method: 'eidas',
    label: 'Europese burger (DE)',
    pseudonym: 'NL/DE/0123456789abcdef',
    given_name: 'Erika',
    family_name: 'Mustermann',
    birthdate: '1964-08-12',
  },
  { id: 'eidas-missing-id', method: 'eidas', label: 'Geen pseudoniem', given_name: 'Max', family_name: 'Mustermann', birthdate: '1970-01-01' },
];

export const IDENTITY_BY_ID = new Map(IDENTITIES.map((identity) => [identity.id, identity]));

// Dutch "elfproef" (11-test) for BSN and RSIN numbers.
export function elfproef(number) {
  if (!/^\d{9}$/.test(number)) return false;
  const weights = [9, 8, 7, 6, 5, 4, 3, 2, -1];
  const sum = [...number].reduce((acc, digit, i) => acc + Number(digit) * weights[i], 0);
  return sum % 11 === 0;
}

const URN = {
  legalSubject: 'urn:etoegang:core:LegalSubjectID',
  nameQualifier: 'urn:etoegang:core:LegalSubjectID:namequalifier',
  actingSubject: 'urn:etoegang:core:ActingSubjectID',
  vestiging: 'urn:etoegang:1.9:ServiceRestriction:Vestigingsnr',
  kvkQualifier: 'urn:etoegang:1.9:EntityConcernedID:KvKnr',
  rsinQualifier: 'urn:etoegang:1.9:EntityConcernedID:RSIN',
};

// Names of the claims each method can produce, per eHerkenning style.
export function methodClaimNames(kvkStyle) {
  return {
    digid: ['bsn'],
    eherkenning: kvkStyle === 'plain'
      ? ['kvk', 'rsin', 'vestigingsnummer', 'acting_subject']
      : [URN.legalSubject, URN.nameQualifier, URN.actingSubject, URN.vestiging],
    eidas: ['eidas_pseudonym', 'given_name', 'family_name', 'birthdate'],
  };
}

// The method-specific claims of one identity (without sub / login_method / level).
export function identityClaims(identity, kvkStyle) {
  const claims = {};
  switch (identity.method) {
    case 'digid':
      if (identity.bsn) claims.bsn = identity.bsn;
      break;
    case 'eherkenning':
      if (kvkStyle === 'plain') {
        if (identity.kvk) claims.kvk = identity.kvk;
        if (identity.rsin) claims.rsin = identity.rsin;
        if (identity.vestiging) claims.vestigingsnummer = identity.vestiging;
        claims.acting_subject = identity.acting;
      } else {
        if (identity.kvk || identity.rsin) {
          claims[URN.legalSubject] = identity.kvk || identity.rsin;
          claims[URN.nameQualifier] = identity.kvk ? URN.kvkQualifier : URN.rsinQualifier;
        }
        if (identity.vestiging) claims[URN.vestiging] = identity.vestiging;
        claims[URN.actingSubject] = identity.acting;
      }
      break;
    case 'eidas':
      if (identity.pseudonym) claims.eidas_pseudonym = identity.pseudonym;
      for (const key of ['given_name', 'family_name', 'birthdate']) {
        if (identity[key]) claims[key] = identity[key];
      }
      break;
    default:
      throw new Error(`unknown method ${identity.method}`);
  }
  return claims;
}
