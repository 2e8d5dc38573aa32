import { AdminGetUserCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';

/**
 * Whether the pool holds a verified TOTP authenticator for the user (`SOFTWARE_TOKEN_MFA` in
 * `UserMFASettingList`, which Cognito sets once `VerifySoftwareToken` and `SetUserMFAPreference`
 * succeeded). With it, the pool asks every sign-in of that user for a code.
 */
export const totpEnrolment =
  (client: CognitoIdentityProviderClient) =>
  async (userPoolId: string, username: string): Promise<boolean> => {
    const user = await client.send(new AdminGetUserCommand({ UserPoolId: userPoolId, Username: username }));
    return (user.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA');
  };
