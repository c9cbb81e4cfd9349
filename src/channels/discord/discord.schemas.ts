import * as z from "zod/mini";

/** The parts of a Discord interaction Guardline reads; loose, since Discord adds fields over time. */
const user = z.looseObject({
  id: z.string().check(z.regex(/^\d{5,25}$/)),
  username: z.optional(z.string().check(z.maxLength(64))),
});

const option = z.looseObject({
  name: z.string().check(z.maxLength(32)),
  type: z.number().check(z.int()),
  value: z.optional(z.unknown()),
});

const textInput = z.looseObject({
  type: z.number().check(z.int()),
  custom_id: z.string().check(z.maxLength(100)),
  value: z.optional(z.string().check(z.maxLength(4000))),
});

export const discordInteractionSchema = z
  .looseObject({
    id: z.string().check(z.regex(/^\d{5,25}$/)),
    application_id: z.string().check(z.regex(/^\d{5,25}$/)),
    type: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    token: z.string().check(z.minLength(1), z.maxLength(1000)),
    version: z.number().check(z.int()),
    guild_id: z.optional(z.string()),
    channel_id: z.optional(z.string()),
    member: z.optional(z.looseObject({ user })),
    user: z.optional(user),
    locale: z.optional(z.string().check(z.maxLength(16))),
    data: z.optional(
      z.looseObject({
        name: z.optional(z.string().check(z.maxLength(32))),
        options: z.optional(z.array(option).check(z.maxLength(25))),
        custom_id: z.optional(z.string().check(z.maxLength(100))),
        components: z.optional(
          z
            .array(z.looseObject({ components: z.optional(z.array(textInput).check(z.maxLength(5))) }))
            .check(z.maxLength(5)),
        ),
      }),
    ),
  })
  // Everything but a ping comes from someone: without a user, answers would have no one to belong to.
  .check(
    z.refine((i) => i.type === 1 || i.member?.user !== undefined || i.user !== undefined, {
      message: "an interaction from nobody (neither member.user nor user)",
      path: ["user"],
    }),
  );
export type DiscordInteraction = z.infer<typeof discordInteractionSchema>;
