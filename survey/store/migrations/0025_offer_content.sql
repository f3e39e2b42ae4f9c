-- What an offer covers (issue 20, item 5): a content text per offer, one
-- point per line, printed on the attendance certificates; in German
-- (content) and, for the English pages, in English (content_en, empty:
-- the German text is shown). Offers made from the plan take the default of
-- their module (survey.DefaultOfferContent); offers made before this
-- migration get the same defaults here (TestMigrationContentDefaults keeps
-- the two equal). Staff edit both on the offer's page.
ALTER TABLE offers ADD COLUMN content TEXT NOT NULL DEFAULT '';
ALTER TABLE offers ADD COLUMN content_en TEXT NOT NULL DEFAULT '';

UPDATE offers SET
    content =
        'Ablauf des Asylverfahrens und Zuständigkeiten von BAMF, Ausländerbehörde und Verwaltungsgericht' || char(10) ||
        'Aufenthaltsgestattung, Duldung und Aufenthaltserlaubnis und die Rechte, die an sie geknüpft sind' || char(10) ||
        'Schutzformen: Asylberechtigung, Flüchtlingsschutz, subsidiärer Schutz, Abschiebungsverbote' || char(10) ||
        'Bescheide, Fristen und Rechtsmittel: worauf in der Beratung zu achten ist' || char(10) ||
        'Grenzen der Beratung nach dem Rechtsdienstleistungsgesetz und Verweis an Fachberatungsstellen',
    content_en =
        'The asylum procedure and the roles of the Federal Office (BAMF), the foreigners authority and the administrative court' || char(10) ||
        'Permission to reside, toleration (Duldung) and residence permits, and the rights attached to them' || char(10) ||
        'Forms of protection: asylum, refugee protection, subsidiary protection, bans on deportation' || char(10) ||
        'Decisions, deadlines and legal remedies: what to look out for in counselling' || char(10) ||
        'The limits of counselling under the Legal Services Act and referral to specialist advice services'
    WHERE kind = 'training' AND module_id = 'asylrecht';

UPDATE offers SET
    content =
        'Zugang zum Arbeitsmarkt nach Aufenthaltsstatus: Beschäftigungserlaubnis, Zustimmung der Bundesagentur für Arbeit, Beschäftigungsverbote' || char(10) ||
        'Ausbildungsduldung und Beschäftigungsduldung: Voraussetzungen und Antrag' || char(10) ||
        'Anerkennung ausländischer Berufs- und Studienabschlüsse' || char(10) ||
        'Förderung durch Agentur für Arbeit und Jobcenter, Integrations- und Berufssprachkurse' || char(10) ||
        'Zusammenarbeit mit Betrieben, Kammern und Beratungsstellen',
    content_en =
        'Access to the labour market by residence status: work permission, approval of the Federal Employment Agency, bans on employment' || char(10) ||
        'Toleration for training and for employment (Ausbildungs- and Beschäftigungsduldung): conditions and application' || char(10) ||
        'Recognition of foreign vocational and academic qualifications' || char(10) ||
        'Support from the employment agency and the job centre, integration and vocational language courses' || char(10) ||
        'Working with employers, chambers and advice services'
    WHERE kind = 'training' AND module_id = 'ausbildung_arbeit';

UPDATE offers SET
    content =
        'Gesundheitsversorgung nach dem Asylbewerberleistungsgesetz (§§ 4 und 6 AsylbLG) und Übergang in die gesetzliche Krankenversicherung' || char(10) ||
        'Erstuntersuchung, Impfangebote und die Aufgaben des Gesundheitsamts' || char(10) ||
        'Infektionsschutz in Gemeinschaftsunterkünften: Hygiene, Meldepflichten nach dem Infektionsschutzgesetz, Vorgehen bei Ausbrüchen' || char(10) ||
        'Sprachmittlung im Gesundheitswesen und Schweigepflicht' || char(10) ||
        'Eigenschutz der Fachkräfte',
    content_en =
        'Health care under the Asylum Seekers'' Benefits Act (sections 4 and 6 AsylbLG) and the move into statutory health insurance' || char(10) ||
        'Initial medical examination, vaccination and the tasks of the public health office' || char(10) ||
        'Infection control in shared accommodation: hygiene, notification duties under the Infection Protection Act, handling outbreaks' || char(10) ||
        'Language mediation in health care and confidentiality' || char(10) ||
        'Protecting staff themselves'
    WHERE kind = 'training' AND module_id = 'gesundheit';

UPDATE offers SET
    content =
        'Traumafolgen erkennen: Belastungsreaktionen, Posttraumatische Belastungsstörung, Anzeichen bei Kindern und Jugendlichen' || char(10) ||
        'Stabilisierende Haltung und Gesprächsführung im Beratungsalltag' || char(10) ||
        'Grenzen der eigenen Rolle und Verweis an psychosoziale Zentren und Psychotherapie' || char(10) ||
        'Selbstfürsorge und Schutz vor Sekundärtraumatisierung',
    content_en =
        'Recognising the effects of trauma: stress reactions, post-traumatic stress disorder, signs in children and young people' || char(10) ||
        'A stabilising attitude and conversation in everyday counselling' || char(10) ||
        'The limits of one''s own role and referral to psychosocial centres and psychotherapy' || char(10) ||
        'Self-care and protection against secondary traumatisation'
    WHERE kind = 'training' AND module_id = 'trauma';

UPDATE offers SET
    content =
        'Fallbesprechungen aus der Flüchtlingssozialarbeit' || char(10) ||
        'Reflexion der eigenen Rolle, von Nähe und Distanz und von Belastungen im Arbeitsalltag' || char(10) ||
        'Kollegiale Beratung und Austausch zwischen den Kommunen' || char(10) ||
        'Entlastung und Vorbeugung von Überlastung',
    content_en =
        'Case discussions from social work with refugees' || char(10) ||
        'Reflecting on one''s own role, on closeness and distance and on the strains of daily work' || char(10) ||
        'Peer consultation and exchange between the municipalities' || char(10) ||
        'Relief and prevention of overload'
    WHERE kind = 'group';
