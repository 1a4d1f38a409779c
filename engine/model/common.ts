import { z } from 'zod';
import { PackageURL } from 'packageurl-js';
import { parseCvss } from './cvss.js';
import { LIMITS } from './vocabulary.js';

/** Ids are plain, case-sensitive tokens; `#` is reserved for expanded group members (`pumps#17`). */
export const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/, 'expected an id of ASCII letters and digits and . _ : / -, beginning with a letter or digit (no spaces, no #, no accents)')
  .max(200)
  .meta({ description: 'An identifier unique within its collection.' });

export const Text = z.string().max(10_000);

/** A share in [0, 1]. */
export const Share = z.number().min(0).max(1);

export const PositiveMinutes = z.number().positive().max(LIMITS.horizonHours * 60);

export const CvssVector = z
  .string()
  .superRefine((vector, ctx) => {
    const parsed = parseCvss(vector);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: parsed });
  })
  .meta({ description: 'A CVSS v3.0, v3.1 or v4.0 base vector, e.g. CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H.' });

export const CveId = z.string().regex(/^CVE-\d{4}-\d{4,}$/, 'expected a CVE id such as CVE-2017-0144');

export const Purl = z
  .string()
  .superRefine((purl, ctx) => {
    try {
      PackageURL.fromString(purl);
    } catch (error) {
      const why = (error as Error).message.replace(/\s+/g, ' ');
      ctx.addIssue({ code: 'custom', message: `expected a package URL (pkg:type/namespace/name@version), got ${JSON.stringify(purl.slice(0, 80))} (${why})` });
    }
  })
  .meta({ description: 'A package URL (purl), e.g. pkg:generic/microsoft/windows@6.1.7601.' });

/** A time-to-event distribution; every parameter is in minutes so documents read in one unit. */
export const Delay = z
  .discriminatedUnion('dist', [
    z.strictObject({ dist: z.literal('fixed'), minutes: z.number().min(0).max(LIMITS.horizonHours * 60) }),
    z.strictObject({ dist: z.literal('exponential'), meanMinutes: PositiveMinutes }),
    z.strictObject({ dist: z.literal('lognormal'), medianMinutes: PositiveMinutes, sigma: z.number().positive().max(10) }),
    z.strictObject({ dist: z.literal('weibull'), shape: z.number().positive().max(100), scaleMinutes: PositiveMinutes }),
  ])
  .meta({ description: 'A delay distribution: fixed, exponential, lognormal or weibull, parameters in minutes.' });
export type Delay = z.infer<typeof Delay>;
