import { z } from "zod";

/** The parts of a Discord interaction Guardline reads; loose, since Discord adds fields over time. */
const user = z.looseObject({ id: z.string().regex(/^\d{5,25}$/), username: z.string().max(64).optional() });

const option = z.looseObject({
  name: z.string().max(32),
  type: z.number().int(),
  value: z.unknown().optional(),
});

const textInput = z.looseObject({
  type: z.number().int(),
  custom_id: z.string().max(100),
  value: z.string().max(4000).optional(),
});

export const discordInteractionSchema = z
  .looseObject({
    id: z.string().regex(/^\d{5,25}$/),
    application_id: z.string().regex(/^\d{5,25}$/),
    type: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    token: z.string().min(1).max(1000),
    version: z.number().int(),
    guild_id: z.string().optional(),
    channel_id: z.string().optional(),
    member: z.looseObject({ user }).optional(),
    user: user.optional(),
    locale: z.string().max(16).optional(),
    data: z
      .looseObject({
        name: z.string().max(32).optional(),
        options: z.array(option).max(25).optional(),
        custom_id: z.string().max(100).optional(),
        components: z
          .array(z.looseObject({ components: z.array(textInput).max(5).optional() }))
          .max(5)
          .optional(),
      })
      .optional(),
  })
  // Everything but a ping comes from someone: without a user, answers would have no one to belong to.
  .refine((i) => i.type === 1 || i.member?.user !== undefined || i.user !== undefined, {
    message: "an interaction from nobody (neither member.user nor user)",
    path: ["user"],
  });
export type DiscordInteraction = z.infer<typeof discordInteractionSchema>;
